"""Turn the bytes a client sent into CSV records, refusing files that are not UTF-8 CSV text.

The whole file is checked before any row is looked at (empty, binary, encoding), so a file that
cannot be read never gets half imported; the CSV field-size limit is turned into a message that
names the line instead of a bare `_csv.Error`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.placements.exceptions import PlacementFileError

UTF8_BOM = b"\xef\xbb\xbf"
DELIMITERS = (",", ";")
# Magic numbers of what clients most often send by mistake instead of a CSV export.
KNOWN_BINARIES = {
    b"PK\x03\x04": "a ZIP archive or an Excel .xlsx workbook; export the sheet as CSV UTF-8",
    b"\xd0\xcf\x11\xe0": "an Excel .xls workbook; export the sheet as CSV UTF-8",
    b"\x1f\x8b": "a gzip archive; unpack it first",
    b"%PDF": "a PDF document",
}


@dataclass(frozen=True, slots=True)
class PlacementText:
    """A decoded placement file: its text, the delimiter in use and an estimate of its rows."""

    text: str
    delimiter: str
    had_bom: bool

    @property
    def approx_rows(self) -> int:
        """Lines after the header; quoted line breaks make it an estimate, fine for progress."""
        lines = self.text.count("\n") + (0 if self.text.endswith("\n") else 1)
        return max(lines - 1, 0)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> PlacementText:
    """Check and decode the raw bytes; every refusal names what the file looks like instead."""
    if not data.strip():
        raise PlacementFileError("the file is empty (0 bytes or only blank lines)")
    for magic, what in KNOWN_BINARIES.items():
        if data.startswith(magic):
            raise PlacementFileError(f"binary file: this looks like {what}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlacementFileError("the file is UTF-16; save it as CSV UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise PlacementFileError(
            "binary file: it contains NUL bytes, not CSV text", _line_of(data, nul)
        )
    had_bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM) :] if had_bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(body, exc.start)
        raise PlacementFileError(
            f"the file is not UTF-8 (byte 0x{body[exc.start]:02x} cannot be decoded); "
            "save it as CSV UTF-8",
            line,
        ) from exc
    return PlacementText(text=text, delimiter=sniff_delimiter(text), had_bom=had_bom)


def read_placement_file(path: Path) -> PlacementText:
    """Read and decode `path`, refusing folders and unreadable files with a clear message."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise PlacementFileError(f"{path} is a folder, not a CSV file") from exc
    except OSError as exc:
        raise PlacementFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    return decode(data)


def sniff_delimiter(text: str) -> str:
    """Comma or semicolon, whichever separates more cells of the header line (quotes respected).

    csv.Sniffer guesses from data rows too and is fooled by decimal commas in amounts; the header
    holds only names, so counting there is reliable.
    """
    first_line = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def records(placement: PlacementText) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for every non-blank record, header first."""
    reader = csv.reader(io.StringIO(placement.text, newline=""), delimiter=placement.delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise PlacementFileError(
                    f"a field is larger than the limit of {csv.field_size_limit():,} characters "
                    "(an unclosed quote, or binary data pasted into a cell?)",
                    start,
                ) from exc
            raise PlacementFileError(f"CSV cannot be parsed: {exc}", start) from exc
        if cells and any(cell.strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1

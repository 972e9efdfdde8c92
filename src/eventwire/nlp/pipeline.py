"""Run the extraction stages over one article, or many in parallel, and assemble Documents.

``Extractor.extract`` parses once, finds triggers sentence by sentence, fills
each event's fields from its stages, then merges mentions of the same event
(one event per type per sentence; a later mention such as "the attacks" or a
repeat with the same actors joins the earlier event). ``Extractor.pipe``
streams: it keeps a bounded window of articles in flight, so memory does not
grow with the input, and spreads them over N processes.
"""
from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import EventwireError, InputError
from ..gazetteer import Gazetteer
from ..model import Actor, Amount, Article, Coder, Document, Event, Span, TimeSpan
from . import amounts, attribution, events, places, quotes, status, times
from .actors import mention_span, register_names, roles
from .context import ArticleContext, build_context, release
from .dictionary import ActorDictionary
from .lexicon import Lexicon
from .loader import DEFAULT_MODEL, MAX_CHARS, load_pipeline, model_info

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Which magnitudes belong to which event types (others are left out rather than misplaced).
MAGNITUDE_TYPES = {
    "killed": {"ASSAULT", "PROTEST", "COERCE"},
    "injured": {"ASSAULT", "PROTEST", "COERCE"},
    "arrested": {"COERCE", "PROTEST"},
    "displaced": {"ASSAULT", "RETREAT", "COERCE", "AID"},
    "participants": {"PROTEST"},
    "events": None,
    "vessels": {"MOBILIZE", "ASSAULT", "RETREAT", "COERCE"},
    "aircraft": {"MOBILIZE", "ASSAULT", "RETREAT"},
    "personnel": {"MOBILIZE", "RETREAT", "ASSAULT", "AID"},
    "money": {"SANCTION", "AID", "AGREE", "COOPERATE", "REQUEST"},
}
# Events a speaker performs by the quoted words themselves; other actions inside a direct quote
# are the speaker's narration, and the quote (not an event) records them.
SPEECH_ACTS = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT"}
BATCH = 16        # articles parsed together
MERGE_WINDOW = 6  # sentences: how far back a repeated mention may join an event


@dataclass
class ExtractSettings:
    """What an Extractor needs: the spaCy model and the user's extra lexicons and actors."""

    model: str = DEFAULT_MODEL
    lexicons: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()


@dataclass
class _Draft:
    """An event being assembled, with the tokens and sentences it came from."""

    event: Event
    trigger: Token
    sent_index: int
    anaphoric: bool = False
    sentences: list[int] = field(default_factory=list)


class Extractor:
    """Turns Articles into Documents. Heavy resources load once, on first use."""

    def __init__(self, settings: ExtractSettings | None = None):
        self.settings = settings or ExtractSettings()
        self._nlp = None
        self._coder: Coder | None = None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_pipeline(self.settings.model, self.settings.actors)
        return self._nlp

    def warm(self) -> None:
        """Load every heavy resource now: the model, gazetteer, lexicons and actors.

        ``pipe`` calls it before forking its workers, so they inherit the loaded
        resources instead of each loading them again.
        """
        _ = self.nlp
        Gazetteer.load()
        Lexicon.load(self.settings.lexicons)
        ActorDictionary.load(self.settings.actors)

    def coder(self) -> Coder:
        if self._coder is None:
            name, version = model_info(self.nlp)
            self._coder = Coder(__version__, name, version)
        return self._coder

    def extract(self, article: Article) -> Document:
        """Every event and quote in one article."""
        _check_length(article)
        return self._stages(article, self.nlp(article.text))

    def extract_batch(self, articles: list[Article]) -> list[Document | EventwireError]:
        """Extract several articles in order, parsing them together (spaCy is faster on batches)."""
        results: list[Document | EventwireError | None] = []
        fits: list[tuple[int, Article]] = []
        for article in articles:
            try:
                _check_length(article)
                fits.append((len(results), article))
                results.append(None)
            except InputError as e:
                results.append(e)
        try:
            parsed = list(self.nlp.pipe([a.text for _, a in fits], batch_size=BATCH))
        except Exception:  # noqa: BLE001 - parse one by one to find and report the bad one
            parsed = [None] * len(fits)
        for (i, article), doc in zip(fits, parsed, strict=True):
            results[i] = self._safe(article, doc)
        return results  # type: ignore[return-value]

    def pipe(self, items: Iterable[Article | EventwireError], jobs: int = 1,
             window: int = 64) -> Iterator[Document | EventwireError]:
        """Extract a stream in order; errors (bad inputs) pass through in their place.

        At most ``window`` articles per worker are read ahead, so memory stays flat however
        long the input is.
        """
        it = iter(items)
        if jobs <= 1:
            while chunk := list(islice(it, BATCH)):
                yield from _in_order(chunk, self.extract_batch)
            return
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        if ctx.get_start_method() == "fork":
            self.warm()  # the workers inherit what the parent loaded
        with ctx.Pool(jobs, initializer=_init_worker, initargs=(self.settings,)) as pool:
            while block := list(islice(it, window * jobs)):
                chunks = [block[i:i + BATCH] for i in range(0, len(block), BATCH)]
                for results in pool.imap(_work, chunks):
                    yield from results

    def _stages(self, article: Article, doc) -> Document:
        ctx = build_context(doc, article, Lexicon.load(self.settings.lexicons), Gazetteer.load(),
                            ActorDictionary.load(self.settings.actors))
        try:
            register_names(ctx)
            found_quotes = quotes.find_quotes(ctx)
            merged = _merge(_drafts(ctx))
        finally:
            release(doc)  # the cached entity spans point back at the Doc: free it now
        for n, draft in enumerate(merged, 1):
            draft.event.id = f"e{n}"
        return Document(article, [d.event for d in merged], found_quotes, self.coder())

    def _safe(self, article: Article, doc=None) -> Document | EventwireError:
        try:
            return self.extract(article) if doc is None else self._stages(article, doc)
        except EventwireError as e:
            return e
        except Exception as e:  # a bug on one article must not stop the batch
            return InputError(f"extraction failed: {type(e).__name__}: {e}", source=article.doc_id,
                              hint="please report this article to the eventwire issue tracker")


def _check_length(article: Article) -> None:
    if len(article.text) > MAX_CHARS:
        raise InputError(f"article is {len(article.text):,} characters, over the limit of "
                         f"{MAX_CHARS:,}", source=article.doc_id,
                         hint="split the text into several articles")


def _in_order(chunk: list, run) -> list[Document | EventwireError]:
    """Run ``run`` on the articles of a chunk and put the errors back in their places."""
    articles = [x for x in chunk if not isinstance(x, EventwireError)]
    done = iter(run(articles)) if articles else iter(())
    return [x if isinstance(x, EventwireError) else next(done) for x in chunk]


_WORKER: Extractor | None = None


def _init_worker(settings: ExtractSettings) -> None:
    global _WORKER  # one Extractor per worker process, loaded once
    _WORKER = Extractor(settings)


def _work(chunk: list) -> list[Document | EventwireError]:
    assert _WORKER is not None
    return _in_order(chunk, _WORKER.extract_batch)


# --- assembling events ---------------------------------------------------------------------

def _drafts(ctx: ArticleContext) -> list[_Draft]:
    drafts: list[_Draft] = []
    published = ctx.article.published
    recent_place = None
    for index, sent in enumerate(ctx.doc.sents):
        sent_times = times.find_times(sent.text, published) if _has_letters(sent) else []
        sent_amounts = amounts.find_amounts(sent.text) if _has_letters(sent) else []
        sent_drafts = []
        found = events.find_triggers(sent, ctx.lex)
        for trig in _without_casualty_clauses(found):
            if any(d.event.type == trig.type for d in sent_drafts) or (
                    ctx.in_quote(trig.token.idx) and trig.type not in SPEECH_ACTS):
                continue  # one event per type per sentence; a speaker's own narration is a quote
            sent_drafts.append(_draft(ctx, trig, sent, index, sent_times))
        _give_amounts(sent_drafts, sent, sent_amounts)
        recent_place = places.last_place(ctx, sent) or recent_place
        for draft in sent_drafts:
            _local_actors(draft.event)
            _place_as_target(ctx, draft.event)
            if draft.event.location is None:
                draft.event.location = places.context_place(ctx, recent_place)
        drafts.extend(sent_drafts)
    return drafts


CASUALTY_VERBS = frozenset({"kill", "die", "injure", "wound", "hurt"})


def _without_casualty_clauses(found: list[events.Trigger]) -> list[events.Trigger]:
    """Drop "people were killed in the riots" as an event of its own: the dying is the toll of
    the riots (or clashes, coup, blast), which the sentence names as an event, and the toll
    goes to that event."""
    heads = {t.token.i for t in found}
    return [t for t in found if not _casualty_of_another(t, heads)]


def _casualty_of_another(trig: events.Trigger, heads: set[int]) -> bool:
    tok = trig.token
    if trig.type != "ASSAULT" or tok.pos_ != "VERB" or tok.lemma_.lower() not in CASUALTY_VERBS:
        return False
    if any(c.dep_ in ("agent", "nsubj") for c in tok.children) and tok.lemma_.lower() != "die":
        return False  # "gunmen killed…", "…were killed by troops": an act with its doer
    # "in the riots" shortly after the verb, wherever the parser hung it ("were killed and
    # hundreds injured in nationwide riots")
    for node in tok.doc[tok.i + 1:min(tok.i + 12, tok.sent.end)]:
        if node.dep_ == "pobj" and node.i in heads and node.head.lower_ in ("in", "during", "amid"):
            return True
    return False


def _has_letters(sent: SpacySpan) -> bool:
    return any(t.is_alpha for t in sent)


def _draft(ctx: ArticleContext, trig: events.Trigger, sent: SpacySpan, index: int,
           sent_times: list[tuple[int, int, TimeSpan]]) -> _Draft:
    source, target = roles(ctx, trig.token, trig.type)
    etype, mode = _reading(trig, source)
    if source is None and etype == "COERCE":
        source = _authorities(ctx, trig.token)
    actor_tokens = _actor_tokens(trig.token)
    event = Event(
        type=etype, mode=mode, status=status.status_of(trig.token, ctx.lex, etype),
        mentions=[_mention(sent)], source=source, target=target,
        location=places.location_for(ctx, trig.token, actor_tokens),
        time=_nearest_time(trig.token, sent, sent_times),
        attribution=attribution.attribution_for(ctx, trig.token, trig.type, source),
        trigger=trig.token.text,
    )
    return _Draft(event, trig.token, index, trig.anaphoric, [index])


def _authorities(ctx: ArticleContext, trigger: Token) -> Actor | None:
    """"More than 40 people were arrested": arrests with no agent are the home authorities'."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
    if not passive or any(c.dep_ == "agent" for c in trigger.children) or ctx.home is None:
        return None
    country = ctx.gaz.country(ctx.home)
    name = f"{country.name if country else ctx.home} police"
    return Actor(None, name, ctx.home, "police")


# Types whose action needs no one to be done to: where they happen names no target.
SELF_DIRECTED = {"PROTEST", "RETREAT", "MOBILIZE"}
LOCAL_KINDS = {"criminal", "civilians", "rebels", "police"}


def _local_actors(event: Event) -> None:
    """Unnamed local actors belong where the event happens: "strike drug traffickers inside
    Venezuela" → Venezuelan traffickers; "shoot any villager" in Afghanistan → Afghan."""
    loc = event.location
    if loc is None or loc.country is None:
        return
    for actor in (event.source, event.target):
        if actor is not None and actor.kind in LOCAL_KINDS and actor.country is None:
            actor.country = loc.country


def _place_as_target(ctx: ArticleContext, event: Event) -> None:
    """With no one named as acted on, the country where a foreign actor acts is the target
    ("France will send troops to Liberia", "Saddam Hussein arrived in Amman")."""
    loc, source = event.location, event.source
    if event.target is not None or loc is None or loc.inferred or loc.country is None:
        return
    if source is None or source.country in (None, loc.country) or event.type in SELF_DIRECTED:
        return
    country = ctx.gaz.country(loc.country)
    event.target = Actor(loc.text, country.name if country else loc.country, loc.country, "government")


# Which reading of an ambiguous trigger fits which kind of actor: protesters "block" a road in
# protest, police "raid" to coerce, armed forces "raid" to attack.
READING_BY_KIND = {"police": "COERCE", "civilians": "PROTEST", "ngo": "PROTEST",
                   "party": "PROTEST", "military": "ASSAULT", "rebels": "ASSAULT"}


def _reading(trig: events.Trigger, source: Actor | None) -> tuple[str, str | None]:
    """Pick among a trigger's readings by who acts."""
    preferred = READING_BY_KIND.get(source.kind) if source is not None else None
    for etype, mode in trig.options:
        if etype == preferred:
            return etype, mode
    return trig.type, trig.mode


def _actor_tokens(trigger: Token) -> set[int]:
    out: set[int] = set()
    for child in trigger.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "poss"):
            out.update(t.i for t in mention_span(child))
    return out


def _mention(sent: SpacySpan) -> Span:
    text = sent.text
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Span(start, start + len(stripped), stripped)


def _nearest_time(trigger: Token, sent: SpacySpan, found: list[tuple[int, int, TimeSpan]]) -> TimeSpan | None:
    if not found:
        return None
    pos = trigger.idx - sent.start_char
    dated = [t for t in found if t[2].granularity != "reference"] or found  # "now" only as a last resort
    return min(dated, key=lambda t: min(abs(t[0] - pos), abs(t[1] - pos)))[2]


def _give_amounts(drafts: list[_Draft], sent: SpacySpan, found: list[tuple[int, int, str, Amount]]) -> None:
    """Give each magnitude to the nearest event of a type it fits."""
    for start, _end, key, amount in found:
        fits = [d for d in drafts if MAGNITUDE_TYPES.get(key) is None or d.event.type in MAGNITUDE_TYPES[key]]
        if not fits:
            continue
        best = min(fits, key=lambda d: abs((d.trigger.idx - sent.start_char) - start))
        best.event.magnitude.setdefault(key, amount)


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Join later mentions of the same event to the first one."""
    kept: list[_Draft] = []
    for draft in drafts:
        target = _same_event(kept, draft)
        if target is None:
            if not draft.anaphoric:
                kept.append(draft)
            continue
        _absorb(target, draft)
    return kept


def _same_event(kept: list[_Draft], draft: _Draft) -> _Draft | None:
    for other in reversed(kept):
        if other.event.type != draft.event.type:
            continue
        if draft.sent_index in other.sentences:
            return other
        if draft.anaphoric and draft.sent_index - other.sentences[-1] <= MERGE_WINDOW * 2:
            return other
        if draft.sent_index - other.sentences[-1] > MERGE_WINDOW:
            return None
        if _compatible(other.event, draft.event) and _linked(other.event, draft.event):
            return other
        return None
    return None


def _compatible(a: Event, b: Event) -> bool:
    """Nothing tells them apart: same status, no conflicting actors, place, time or toll.

    News repeats an event in later sentences with fewer details ("the attack plans"); two
    distinct happenings of one type nearly always differ in actors, place, date or toll.
    """
    if a.status != b.status:
        return False
    if not _same_actor(a.source, b.source) or not _same_actor(a.target, b.target):
        return False
    if a.location and b.location and not (a.location.inferred or b.location.inferred) \
            and a.location.country != b.location.country:
        return False
    if a.time and b.time and a.time.start and b.time.start and a.time.start != b.time.start:
        return False
    for key in ("killed", "injured", "arrested"):
        if a.magnitude.get(key) and b.magnitude.get(key) and a.magnitude[key].min != b.magnitude[key].min:
            return False
    return True


def _linked(a: Event, b: Event) -> bool:
    """Something positive ties a later mention to an event: a shared actor, or nothing new."""
    if b.source is None and b.target is None or a.status != "occurred":
        return True  # nothing new, or a plan/threat/denial: rarely two of one type nearby
    return any(x is not None and y is not None and x.name and x.name == y.name
               for x, y in ((a.source, b.source), (a.target, b.target)))


def _same_actor(a: Actor | None, b: Actor | None) -> bool:
    """No evidence that two mentions name different actors."""
    if a is None or b is None:
        return True
    if a.name and b.name and a.name.lower() == b.name.lower():
        return True
    return a.country is None or b.country is None or a.country == b.country


def _absorb(into: _Draft, other: _Draft) -> None:
    e, o = into.event, other.event
    if other.sent_index not in into.sentences:
        e.mentions.append(o.mentions[0])
        into.sentences.append(other.sent_index)
    e.source = e.source or o.source
    e.target = e.target or o.target
    if e.location is None or (e.location.inferred and o.location and not o.location.inferred):
        e.location = o.location
    e.time = e.time or o.time
    e.mode = e.mode or o.mode
    for key, amount in o.magnitude.items():
        e.magnitude.setdefault(key, amount)
    known = {(a.kind, a.name or a.text) for a in e.attribution}
    e.attribution.extend(a for a in o.attribution if (a.kind, a.name or a.text) not in known)


_DEFAULTS: dict[str, Extractor] = {}


def default_extractor(model: str | None = None) -> Extractor:
    """A shared Extractor per model, so that repeated ``eventwire.extract`` calls load spaCy once."""
    key = model or DEFAULT_MODEL
    if key not in _DEFAULTS:
        _DEFAULTS[key] = Extractor(ExtractSettings(model=key))
    return _DEFAULTS[key]

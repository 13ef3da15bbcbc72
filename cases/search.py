"""What the back office's search box means, in Swedish.

A query is either a case number, typed loosely ("kb 2026 42", "KB-2026-42",
"2026-42", "42"), or words. On PostgreSQL every word must match, in any of
these ways, and the matches are highlighted in the list:

- inflected forms: the text search configuration ``kontakt_swedish`` reduces
  words to their base form with Swedish hunspell (``sv_se``, Debian's
  ``hunspell-sv``) where the server has it, which also splits compounds
  ("cykelvägen" gives cykelväg, cykel and väg), and Snowball's Swedish
  stemmer for words hunspell does not know, or everywhere when the
  dictionary is not installed;
- the beginning of a word: a base form of four letters or more matches as a
  prefix ("gatlampa" finds "Gatlampan" with Snowball too, "gatlam" finds it);
- the last part of a compound: "lampa" finds "gatlampan" and "taklampor"
  through the vocabulary (``SearchWord``, every word of every case): words
  that end in the base form and one of the usual inflection endings;
- small typos: a word of five letters or more that occurs in no case is
  compared with the words of the vocabulary that begin with the same two
  letters (å, ä and ö folded into a and o): Levenshtein distance 1, or 2
  from eight letters, as typed, as stemmed or without its ending
  ("gatlmpan" finds "gatlampan", "bibloteket" "biblioteket", "malmo"
  "Malmö"), the closest by trigram similarity first.

The vocabulary grows with the words in use, not with the number of cases, so
looking words up in it costs the same at a thousand cases as at a million.

On SQLite (the embedded default) the search is simpler: every word must
occur, case-insensitively, somewhere in the number, text, place or answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import BooleanField, CharField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.models import Answer, CaseNumberCounter

CONFIG = "kontakt_swedish"
# The hunspell files in PostgreSQL's tsearch_data directory: sv_se.dict and
# sv_se.affix (Debian's postgresql-common links them there when hunspell-sv
# is installed).
DICTIONARY_FILES = "sv_se"
HUNSPELL = "kontakt_swedish_hunspell"
STOPWORDS = "kontakt_swedish_stop"
WORD_TOKENS = "asciiword, word, hword, hword_part, asciihword, hword_asciipart"

MAX_WORDS = 8
PREFIX_MIN = 4  # a base form this long also matches as the start of a word
PREFIX_LIMIT = 60  # words looked up per prefix; beyond, a prefix query (:*)
COMPOUND_MIN = 4  # ... and as the last part of a compound,
# followed by one of these endings (the forms Snowball leaves alone: "lampan")
ENDINGS: tuple[str, ...] = (
    *("a", "e", "n", "an", "en", "et", "na", "ar", "or", "er", "arna", "orna", "erna"),
    *("s", "ns", "ens", "ets", "ans", "t"),
)
COMPOUND_LIMIT = 40  # compounds looked up per word
TYPO_MIN = 5  # a word this long may have one typo
TYPO_TWO = 8  # ... and two from this length
TYPO_LIMIT = 5
TYPO_BASE = 7  # the word without an ending (ENDINGS) is compared too when this long

# A typo is looked for among words that begin with the same two letters (å,
# ä and ö folded into a and o); the index of migration 0007 holds this key.
TYPO_KEY = "translate(left({w}, 2), 'åäöéü', 'aaoeu')"

# A word that begins with a prefix, as a range of the byte-wise (pattern)
# btree indexes of migration 0007, which a LIKE with a pattern computed in
# the query cannot use.
_STARTS = "({w} ~>=~ {p} AND {w} ~<~ ({p} || {end}))"

# Characters of the text read for a row of the list: enough to show the
# part around a search's first match (highlight() shows 120 of them).
EXCERPT_CHARS = 1000

_WORD = re.compile(r"[^\W_]+")
_SEP = r"[\s\-\u2010-\u2015/.:_]"


# ----------------------------------------------------------------- parsing


@dataclass(frozen=True)
class NumberQuery:
    """A case number typed loosely: a year and a serial number, a year
    alone (with the prefix), or a serial number alone (any year)."""

    year: int | None = None
    serial: int | None = None


@dataclass(frozen=True)
class Parsed:
    number: NumberQuery | None
    words: tuple[str, ...]


def _number_patterns(prefix: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    p = re.escape(prefix)
    return (
        re.compile(rf"^(?:{p}{_SEP}*)?(\d{{4}}){_SEP}+(\d{{1,6}})$", re.IGNORECASE),
        re.compile(rf"^{p}{_SEP}*(\d{{4}}){_SEP}*$", re.IGNORECASE),
        re.compile(rf"^(?:{p}{_SEP}*)?(\d{{1,6}})$", re.IGNORECASE),
    )


def parse(q: str, prefix: str | None = None) -> Parsed:
    """Split what was typed into a case number or words (lower case, letters
    and digits; everything else separates words)."""
    q = " ".join(q.split())
    full, year_only, serial_only = _number_patterns(prefix or settings.KONTAKT_CASE_PREFIX)
    if match := full.match(q):
        return Parsed(NumberQuery(year=int(match[1]), serial=int(match[2])), ())
    if match := year_only.match(q):
        return Parsed(NumberQuery(year=int(match[1])), ())
    if match := serial_only.match(q):
        return Parsed(NumberQuery(serial=int(match[1])), ())
    words = tuple(dict.fromkeys(w[:50] for w in _WORD.findall(q.lower())))
    return Parsed(None, words[:MAX_WORDS])


def number_q(number: NumberQuery) -> Q:
    """The cases a loosely typed number means, found through the unique
    index on the number (a serial number alone: in every year that has
    numbers, from the per-year counters)."""
    prefix = settings.KONTAKT_CASE_PREFIX
    if number.year is not None and number.serial is not None:
        return Q(number=f"{prefix}-{number.year}-{number.serial:05d}")
    if number.year is not None:
        return Q(number__startswith=f"{prefix}-{number.year}-")
    serial = f"{number.serial:05d}"
    numbers = CaseNumberCounter.objects.annotate(
        candidate=Concat(
            Value(f"{prefix}-"),
            Cast("year", CharField()),
            Value("-"),
            LPad(Value(serial), max(len(serial), 5), Value("0")),
            output_field=CharField(),
        )
    ).values("candidate")
    return Q(number__in=numbers)


# ------------------------------------------------------- SQLite (simple form)


def words_q(words: Sequence[str]) -> Q:
    """Every word somewhere in the number, text, place or answers
    (case-insensitive for ASCII letters, as SQLite's LIKE is)."""
    rule = Q()
    for word in words:
        answers = Answer.objects.filter(case=OuterRef("pk"), text__icontains=word)
        rule &= (
            Q(number__icontains=word) | Q(description__icontains=word) | Q(place__icontains=word) | Q(Exists(answers))
        )
    return rule


# ------------------------------------------------------- PostgreSQL


# One statement per search: for each word its own query (base forms, from
# the configuration), the longer words that begin with each base form, the
# compounds that end in it and, for a word no case contains, the words of
# the vocabulary within a typo or two. Every lookup is an index range scan
# of the vocabulary (btree indexes: the words, the words reversed, and the
# typo key), so the cost follows the vocabulary, not the cases.
_EXPAND_SQL = f"""
WITH words AS (
    SELECT t.ord, t.word,
           to_tsquery('{CONFIG}', t.word)::text AS own,
           tsvector_to_array(to_tsvector('{CONFIG}', t.word)) AS lexemes,
           coalesce((ts_lexize('swedish_stem', t.word))[1], t.word) AS stem,
           CASE WHEN length(t.word) >= {TYPO_BASE + 2}
                THEN regexp_replace(t.word, '({"|".join(sorted(ENDINGS, key=len, reverse=True))})$', '')
                ELSE t.word END AS base,
           CASE WHEN length(t.word) >= {TYPO_TWO} THEN 2 ELSE 1 END AS typos
    FROM unnest(%(words)s::text[]) WITH ORDINALITY AS t(word, ord)
)
SELECT w.own,
    (SELECT coalesce(json_object_agg(l, ARRAY(
                SELECT v.word FROM cases_searchword v
                WHERE {_STARTS.format(w="v.word", p="l", end="chr(1114111)")} AND v.word <> l
                LIMIT {PREFIX_LIMIT + 1})), '{{}}')
     FROM unnest(w.lexemes) AS l WHERE length(l) >= {PREFIX_MIN}) AS longer,
    ARRAY(
        SELECT DISTINCT c.word
        FROM unnest(w.lexemes) AS l CROSS JOIN unnest(%(endings)s::text[]) AS e
        CROSS JOIN LATERAL (
            SELECT v.word FROM cases_searchword v
            WHERE {_STARTS.format(w="reverse(v.word)", p="reverse(l || e)", end="chr(1114111)")}
              AND length(v.word) >= length(l || e) + 2
            LIMIT {COMPOUND_LIMIT}
        ) AS c
        WHERE length(l) >= {COMPOUND_MIN}
          AND NOT EXISTS (SELECT 1 FROM unnest(w.lexemes) AS m WHERE m <> l AND strpos(m, l) > 0)
        LIMIT {COMPOUND_LIMIT}
    ) AS compounds,
    CASE WHEN length(w.word) >= {TYPO_MIN} AND NOT EXISTS (
        SELECT 1 FROM unnest(w.lexemes) AS l CROSS JOIN LATERAL (
            SELECT 1 FROM cases_searchword v
            WHERE {_STARTS.format(w="v.word", p="l", end=f"CASE WHEN length(l) >= {PREFIX_MIN} THEN chr(1114111) ELSE chr(1) END")}
            LIMIT 1
        ) AS known
    ) THEN ARRAY(
        SELECT v.word FROM cases_searchword v
        WHERE {TYPO_KEY.format(w="v.word")} = {TYPO_KEY.format(w="w.word")}
          AND length(v.word) BETWEEN length(w.word) - 2 AND length(w.word) + 2
          AND least(levenshtein_less_equal(v.word, w.word, w.typos),
                    levenshtein_less_equal(v.word, w.stem, w.typos),
                    CASE WHEN length(w.base) >= {TYPO_BASE}
                         THEN levenshtein_less_equal(v.word, w.base, w.typos) END) <= w.typos
        ORDER BY similarity(v.word, w.word) DESC, v.word
        LIMIT {TYPO_LIMIT}
    ) ELSE '{{}}'::text[] END AS typos
FROM words w
ORDER BY w.ord
"""

# A lexeme in tsquery's text form: quoted, '' for a quote, \\ for a backslash.
_LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'")


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _with_prefixes(own: str, longer: dict[str, list[str]]) -> str:
    """tsquery text in which every lexeme of PREFIX_MIN letters or more also
    matches the words of the vocabulary that begin with it ("gatlampa" then
    matches the Snowball stem of "gatlampan" as well as the word itself).
    They are written out as words rather than as a prefix (:*), which the
    GIN index would answer by collecting every case with any such word
    before looking at the unit; only when there are too many is it a prefix."""

    def expand(match: re.Match[str]) -> str:
        lexeme = match[1].replace("''", "'").replace("\\\\", "\\")
        words = longer.get(lexeme)
        if not words:
            return match[0]
        if len(words) > PREFIX_LIMIT:
            return match[0] + ":*"
        return "(" + " | ".join([match[0], *map(_quoted, words)]) + ")"

    return _LEXEME.sub(expand, own)


def tsquery_text(words: Sequence[str]) -> str:
    """The tsquery (as text) that the words mean, or "" when none of them
    can match anything (only stop words such as "och", "är"). One query."""
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(_EXPAND_SQL, {"words": list(words), "endings": ["", *ENDINGS]})
        rows = cursor.fetchall()
    parts = []
    for own, longer, compounds, typos in rows:
        alternatives = [_with_prefixes(own, longer)] if own else []
        alternatives += [_quoted(word) for word in [*compounds, *typos]]
        if alternatives:
            parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


class _TsQuery(Func):
    """A tsquery written out already (tsquery_text); cast, not parsed again."""

    template = "(%(expressions)s)::tsquery"
    output_field = SearchQueryField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


def matches(tsquery: str) -> _Matches:
    """search_vector @@ tsquery, for filter(): the GIN index of migration
    0007 (unit, case officer, search vector) answers it."""
    return _Matches(F("search_vector"), _TsQuery(Value(tsquery)))


# ------------------------------------------------------------- highlighting


@dataclass(frozen=True)
class Marks:
    """What to mark in a row's text. On PostgreSQL the terms are the base
    forms and words of the search's tsquery, and a word of the text is
    marked when it begins with one of them (or, from four letters, contains
    it: a compound): "Gatlampan" for 'gatlampa', "gatlampan" for 'lampa'
    when the query holds the compound's base form. On SQLite the terms are
    the words typed, marked wherever they occur, as they are searched.
    Marking in Python costs nothing, where PostgreSQL's ts_headline would
    run hunspell again over every shown text."""

    terms: tuple[str, ...] = ()
    whole_words: bool = True

    @classmethod
    def of_tsquery(cls, tsquery: str) -> Marks:
        lexemes = (m[1].replace("''", "'").replace("\\\\", "\\") for m in _LEXEME.finditer(tsquery))
        return cls(tuple(sorted({lexeme for lexeme in lexemes if len(lexeme) >= 3})))

    @classmethod
    def of_words(cls, words: Sequence[str]) -> Marks:
        return cls(tuple(words), whole_words=False)

    def spans(self, text: str) -> list[tuple[int, int]]:
        if not self.terms:
            return []
        if not self.whole_words:
            pattern = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
            return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
        found = []
        for word in _WORD.finditer(text):
            lower = word[0].lower()
            if any(lower.startswith(t) or (len(t) >= COMPOUND_MIN and t in lower) for t in self.terms):
                found.append(word.span())
        return found


def highlight(text: str, marks: Marks = Marks(), limit: int = 120) -> SafeString:
    """The excerpt as safe HTML: at most `limit` characters around the first
    match (from the start when it is near), escaped, each match in <mark>."""
    spans = marks.spans(text)
    start = 0
    if spans and spans[0][1] > limit - 20:
        # Begin at a word a little before the first match.
        space = text.rfind(" ", 0, max(spans[0][0] - 30, 0))
        start = space + 1 if space >= 0 else spans[0][0]
    end = min(len(text), start + limit)
    if end < len(text) and (space := text.rfind(" ", start, end)) > start:
        end = space
    out = ["…"] if start else []
    position = start
    for begin, finish in spans:
        if finish <= start or begin >= end:
            continue
        begin, finish = max(begin, start), min(finish, end)
        out += [escape(text[position:begin]), "<mark>", escape(text[begin:finish]), "</mark>"]
        position = finish
    out.append(escape(text[position:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # every piece of text is escaped above


# ------------------------------------------------------------ configuration

# Words worth remembering: no digits or punctuation (numbers, e-mail and web
# addresses stay out of the vocabulary), of a sensible length.
_VOCABULARY_WORD = "length({w}) BETWEEN 3 AND 60 AND {w} !~ '[[:digit:][:punct:]]'"

# New words of a case's vector go into the vocabulary; the words of a vector
# that is emptied (disposal) leave it when no other case has them, so the
# vocabulary keeps no word only a disposed case had.
WORDS_TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION kontakt_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('kontakt.search_words', true), '') = 'off' THEN
        RETURN NULL;
    END IF;
    IF NEW.search_vector IS NOT NULL THEN
        INSERT INTO cases_searchword (word)
        SELECT w FROM unnest(tsvector_to_array(NEW.search_vector)) AS w
        WHERE {_VOCABULARY_WORD.format(w="w")}
          AND NOT EXISTS (SELECT 1 FROM cases_searchword s WHERE s.word = w)
        ORDER BY w
        ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' AND OLD.search_vector IS NOT NULL THEN
        DELETE FROM cases_searchword s
        WHERE s.word = ANY(tsvector_to_array(OLD.search_vector))
          AND NOT EXISTS (
              SELECT 1 FROM cases_case c
              WHERE c.search_vector @@ quote_literal(s.word)::tsquery AND c.id <> NEW.id);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS kontakt_search_words ON cases_case;
CREATE TRIGGER kontakt_search_words AFTER INSERT OR UPDATE OF search_vector ON cases_case
    FOR EACH ROW EXECUTE FUNCTION kontakt_search_words();
"""


def vocabulary_add_sql(vectors_select: str) -> str:
    """INSERT the words of the search vectors a SELECT returns (one column)
    into the vocabulary; for bulk loads, which bypass the trigger."""
    escaped = vectors_select.replace("'", "''")
    return f"""INSERT INTO cases_searchword (word)
        SELECT word FROM ts_stat('{escaped}') WHERE {_VOCABULARY_WORD.format(w="word")}
        ON CONFLICT DO NOTHING"""


def document_sql(alias: str = "c") -> str:
    """The search document of a case row `alias` in SQL: number, text,
    place and every answer, as cases.services._refresh_search builds it."""
    return (
        f"to_tsvector('{CONFIG}', {alias}.number || ' ' || {alias}.description || ' ' || {alias}.place"
        f" || coalesce((SELECT string_agg(' ' || a.text, '' ORDER BY a.created_at, a.id)"
        f" FROM cases_answer a WHERE a.case_id = {alias}.id), ''))"
    )


def _exists(cursor: CursorWrapper, catalog: str, name: str) -> bool:
    column = {"pg_ts_dict": "dictname", "pg_ts_config": "cfgname"}[catalog]
    cursor.execute(f"SELECT 1 FROM {catalog} WHERE {column} = %s", [name])
    return cursor.fetchone() is not None


def _dictionary_loads(cursor: CursorWrapper) -> bool:
    """Whether the hunspell dictionary exists and its files can be read
    (they may be gone after the server was moved or upgraded)."""
    try:
        with transaction.atomic(using=cursor.db.alias):
            if not _exists(cursor, "pg_ts_dict", HUNSPELL):
                cursor.execute(
                    f"CREATE TEXT SEARCH DICTIONARY {HUNSPELL} "
                    f"(TEMPLATE = ispell, DictFile = {DICTIONARY_FILES}, AffFile = {DICTIONARY_FILES})"
                )
            cursor.execute(f"SELECT ts_lexize('{HUNSPELL}', 'gatlampan')")
    except DatabaseError:
        return False
    return True


def configure(db: BaseDatabaseWrapper | None = None, *, dictionary: bool = True) -> bool:
    """Create or update the ``kontakt_swedish`` configuration: stop words,
    then hunspell if the server can load it (and `dictionary` is true),
    then Snowball. Returns whether hunspell is used. Idempotent; changing
    it changes how documents are indexed, so rebuild() should follow."""
    db = db or connection
    with db.cursor() as cursor:
        if not _exists(cursor, "pg_ts_dict", STOPWORDS):
            # Stop words before hunspell, which checks them only against its
            # output ("är" would otherwise become "ära").
            cursor.execute(
                f"CREATE TEXT SEARCH DICTIONARY {STOPWORDS} (TEMPLATE = simple, StopWords = swedish, Accept = false)"
            )
        hunspell = dictionary and _dictionary_loads(cursor)
        if not _exists(cursor, "pg_ts_config", CONFIG):
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.swedish)")
        chain = [STOPWORDS, HUNSPELL, "swedish_stem"] if hunspell else [STOPWORDS, "swedish_stem"]
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {WORD_TOKENS} WITH {', '.join(chain)}"
        )
        if not hunspell:
            cursor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {HUNSPELL}")
    return hunspell


def uses_dictionary(db: BaseDatabaseWrapper | None = None) -> bool:
    with (db or connection).cursor() as cursor:
        cursor.execute(
            """SELECT 1 FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg
               JOIN pg_ts_dict d ON d.oid = m.mapdict WHERE c.cfgname = %s AND d.dictname = %s LIMIT 1""",
            [CONFIG, HUNSPELL],
        )
        return cursor.fetchone() is not None


def rebuild(
    db: BaseDatabaseWrapper | None = None, *, batch: int = 50_000, progress: Callable[[int], None] | None = None
) -> int:
    """Recompute every case's search vector with the current configuration
    (disposed cases, whose vector is empty, stay empty), then the vocabulary
    from them. Each batch of ids is its own transaction (a savepoint inside
    a migration); returns the number of cases."""
    db = db or connection
    done = 0
    with db.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM cases_case")
        low, high = cursor.fetchone()
        # The trigger would add each case's words one by one; ts_stat adds
        # them all at the end.
        cursor.execute("SET kontakt.search_words = 'off'")
        try:
            for start in range(low, high + 1, batch):
                with transaction.atomic(using=db.alias):
                    cursor.execute(
                        f"""UPDATE cases_case c SET search_vector = {document_sql("c")}
                            WHERE c.id BETWEEN %s AND %s AND c.search_vector IS NOT NULL""",
                        [start, start + batch - 1],
                    )
                    done += cursor.rowcount
                if progress:
                    progress(done)
            with transaction.atomic(using=db.alias):
                cursor.execute("DELETE FROM cases_searchword")
                cursor.execute(vocabulary_add_sql("SELECT search_vector FROM cases_case"))
        finally:
            cursor.execute("RESET kontakt.search_words")
    return done

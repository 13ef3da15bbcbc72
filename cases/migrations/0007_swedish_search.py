"""Swedish search (cases/search.py), PostgreSQL only.

- Extensions from PostgreSQL's contrib (in the stock postgres image; all
  three are trusted, so the database owner may create them): fuzzystrmatch
  for the typo distance, pg_trgm to rank the typo candidates by trigram
  similarity, btree_gin for a GIN index that holds plain columns too.
- The text search configuration kontakt_swedish: stop words, Swedish
  hunspell where the server has the sv_se files, Snowball's stemmer.
- The vocabulary (SearchWord) with indexes for its lookups, kept by a
  trigger on the case's search vector.
- One GIN index over (unit, case officer, search vector) instead of the one
  over the vector alone: a search within someone's units or their own cases
  finds its matches in the index, without reading other units' rows.
- Every search vector recomputed with the new configuration, and the
  vocabulary built from them: about a minute per 100 000 cases with
  hunspell on a 2-core machine (run VACUUM ANALYZE cases_case afterwards on
  a big table, so index-only scans come back at once).
"""

from django.db import migrations, models

from cases import search


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for extension in ("pg_trgm", "fuzzystrmatch", "btree_gin"):
        execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    search.configure(schema_editor.connection)
    # The vocabulary's lookups (cases/search.py): words that begin with a
    # base form, that end in one (compounds, read backwards), and words with
    # the same first two letters and about the same length (typos).
    execute("CREATE INDEX IF NOT EXISTS searchword_prefix ON cases_searchword (word text_pattern_ops)")
    execute("CREATE INDEX IF NOT EXISTS searchword_suffix ON cases_searchword (reverse(word) text_pattern_ops)")
    key = search.TYPO_KEY.format(w="word")
    execute(f"CREATE INDEX IF NOT EXISTS searchword_typo ON cases_searchword (({key}), length(word))")
    execute(search.WORDS_TRIGGER_SQL)
    # The vectors are rewritten without a GIN index to keep up to date; the
    # new one is built once at the end.
    execute("DROP INDEX IF EXISTS case_search_vector_gin")
    search.rebuild(schema_editor.connection)
    execute("CREATE INDEX IF NOT EXISTS case_search_gin ON cases_case USING gin (unit_id, assignee_id, search_vector)")
    execute("ANALYZE cases_case")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("DROP TRIGGER IF EXISTS kontakt_search_words ON cases_case")
    execute("DROP FUNCTION IF EXISTS kontakt_search_words()")
    execute("DROP INDEX IF EXISTS case_search_gin")
    execute("CREATE INDEX IF NOT EXISTS case_search_vector_gin ON cases_case USING gin (search_vector)")
    execute(
        "UPDATE cases_case c SET search_vector = to_tsvector('swedish', c.number || ' ' || c.description || ' ' "
        "|| c.place || coalesce((SELECT string_agg(' ' || a.text, '' ORDER BY a.created_at, a.id) "
        "FROM cases_answer a WHERE a.case_id = c.id), '')) WHERE c.search_vector IS NOT NULL"
    )
    execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {search.CONFIG}")
    execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {search.HUNSPELL}")
    execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {search.STOPWORDS}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_timeline_kinds"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=100, primary_key=True, serialize=False, verbose_name="word")),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]

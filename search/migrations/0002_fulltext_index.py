"""The database's own full-text index over SearchDocument's analysed columns.

SQLite: FTS5 tables reading their text from search_searchdocument (external
content), kept in step by triggers: search_fts over every field, and
search_fts_head over title, tags and summary (small, so cheap to rank when a
query matches much of the knowledge base). PostgreSQL: the same as generated
tsvector columns (weights A title, B tags and summary, C body, D attachments)
with GIN indexes.
The terms are already stemmed in Python, so both use the plain tokenizer /
the 'simple' configuration and agree on what matches.
"""

from django.db import migrations

COLUMNS = "title_terms, tags_terms, summary_terms, body_terms, attachment_terms"
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))

HEAD = "title_terms, tags_terms, summary_terms"
HEAD_NEW = ", ".join(f"new.{c.strip()}" for c in HEAD.split(","))
HEAD_OLD = ", ".join(f"old.{c.strip()}" for c in HEAD.split(","))

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS},
        content='search_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    f"""CREATE VIRTUAL TABLE search_fts_head USING fts5(
        {HEAD},
        content='search_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.article_id, {NEW});
        INSERT INTO search_fts_head(rowid, {HEAD}) VALUES (new.article_id, {HEAD_NEW});
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.article_id, {OLD});
        INSERT INTO search_fts_head(search_fts_head, rowid, {HEAD})
        VALUES ('delete', old.article_id, {HEAD_OLD});
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.article_id, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.article_id, {NEW});
        INSERT INTO search_fts_head(search_fts_head, rowid, {HEAD})
        VALUES ('delete', old.article_id, {HEAD_OLD});
        INSERT INTO search_fts_head(rowid, {HEAD}) VALUES (new.article_id, {HEAD_NEW});
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_fts_head",
]

POSTGRES_FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, tags_terms || ' ' || summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, attachment_terms), 'D')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
    """ALTER TABLE search_searchdocument ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, tags_terms || ' ' || summary_terms), 'B')
    ) STORED""",
    "CREATE INDEX search_document_head ON search_searchdocument USING gin (head_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_head",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head_vector",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]

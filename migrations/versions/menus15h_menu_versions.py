"""menus15h: a version per menu (matters, agencies, active users), set by triggers at every change of what it shows

The request list, the forms and the board keep these menus per process and read them again only when a version
changed (tracker/core/menus.py). Triggers, not the application, set the versions, so that every writer is seen:
the web, the API, the CLI, imports and raw SQL. Each change gives a new random number (not a count, which a rolled
back transaction or a restored backup would give again to other rows). PostgreSQL: one trigger per table and
statement; SQLite: one per table and kind of row change. The columns watched are the ones the menus show
(tracker/core/menus.WATCHED, written out here so that this history never changes with the code).

Revision ID: menus15h
Revises: search13e
Create Date: 2026-12-07 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'menus15h'
down_revision = 'search13e'
branch_labels = None
depends_on = None

WATCHED = {"agencies": ("id", "name", "abbreviation"), "matters": ("id", "title"), "users": ("id", "name", "active")}

POSTGRES_BUMP = """
CREATE FUNCTION menu_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO menu_versions (name, version) VALUES (TG_ARGV[0], (random() * 9.2e18)::bigint)
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$"""

# Update then insert if absent, not INSERT OR REPLACE: a trigger's statements take the conflict handling of the
# statement that fired it, and an INSERT OR IGNORE into matters would have made the bump ignore its existing row.
SQLITE_BUMP = ("UPDATE menu_versions SET version = random() WHERE name = '{table}'; "
               "INSERT INTO menu_versions (name, version) SELECT '{table}', random() "
               "WHERE NOT EXISTS (SELECT 1 FROM menu_versions WHERE name = '{table}');")


def upgrade():
    op.create_table('menu_versions',
                    sa.Column('name', sa.String(length=40), nullable=False),
                    sa.Column('version', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_menu_versions')))
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(POSTGRES_BUMP)
    for table, columns in WATCHED.items():
        if postgres:
            op.execute(f"CREATE TRIGGER menu_version_{table} AFTER INSERT OR DELETE OR TRUNCATE "
                       f"OR UPDATE OF {', '.join(columns)} ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION menu_version_bump('{table}')")
        else:
            for kind, when in (("insert", "INSERT"), ("delete", "DELETE"), ("update", f"UPDATE OF {', '.join(columns)}")):
                op.execute(f"CREATE TRIGGER menu_version_{table}_{kind} AFTER {when} ON {table} "
                           f"BEGIN {SQLITE_BUMP.format(table=table)} END")
        op.execute(f"INSERT INTO menu_versions (name, version) VALUES ('{table}', "
                   f"{'(random() * 9.2e18)::bigint' if postgres else 'random()'})")


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        if postgres:
            op.execute(f"DROP TRIGGER menu_version_{table} ON {table}")
        else:
            for kind in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER menu_version_{table}_{kind}")
    if postgres:
        op.execute("DROP FUNCTION menu_version_bump()")
    op.drop_table('menu_versions')

"""Make the last step of a user action fail for real: PostgreSQL refuses new rows of one table while the block runs."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def inserts_refused(model):
    """Every INSERT into the model's table raises in the database (django.db.DatabaseError) inside the block."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("CREATE FUNCTION dalil_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$")
        cursor.execute(f"CREATE TRIGGER dalil_test_refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION dalil_test_refuse()")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER dalil_test_refuse ON {table}")
            cursor.execute("DROP FUNCTION dalil_test_refuse()")

"""The database refuses a session whose day, room or track belongs to another conference.

A check constraint cannot look at another table, so this is a trigger on each backend.
"""

from django.db import migrations

SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'session day, room and track must belong to its conference')
    WHERE (SELECT conference_id FROM program_day WHERE id = NEW.day_id) != NEW.conference_id
       OR (NEW.room_id IS NOT NULL AND
           (SELECT conference_id FROM program_room WHERE id = NEW.room_id) != NEW.conference_id)
       OR (NEW.track_id IS NOT NULL AND
           (SELECT conference_id FROM program_track WHERE id = NEW.track_id) != NEW.conference_id);
"""

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION program_session_same_conference() RETURNS trigger AS $$
BEGIN
    IF (SELECT conference_id FROM program_day WHERE id = NEW.day_id) <> NEW.conference_id
       OR (NEW.room_id IS NOT NULL AND
           (SELECT conference_id FROM program_room WHERE id = NEW.room_id) <> NEW.conference_id)
       OR (NEW.track_id IS NOT NULL AND
           (SELECT conference_id FROM program_track WHERE id = NEW.track_id) <> NEW.conference_id)
    THEN
        RAISE EXCEPTION 'session day, room and track must belong to its conference'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(
                f"CREATE TRIGGER program_session_same_conference_{event.lower()} "
                f"BEFORE {event} ON program_session FOR EACH ROW BEGIN {SQLITE_CHECK} END;"
            )
    elif connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER program_session_same_conference BEFORE INSERT OR UPDATE "
            "ON program_session FOR EACH ROW EXECUTE FUNCTION program_session_same_conference();"
        )


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS program_session_same_conference_{event};")
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS program_session_same_conference ON program_session;"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS program_session_same_conference();")


class Migration(migrations.Migration):
    dependencies = [("program", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]

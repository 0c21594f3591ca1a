-- 反诈指挥台 on PostgreSQL with a database role that does not own the audit table.
--
--   fanzha_owner  owns the schema and runs the migrations (`fanzha init`, `fanzha demo`, after every upgrade)
--   fanzha_app    what the dashboard connects as (FANZHA_DATABASE_URL): reads and writes the data, but on
--                 audit_log only SELECT and INSERT; as it owns nothing it cannot UPDATE, DELETE or TRUNCATE
--                 audit records, nor drop or disable the append-only triggers of migration 0002.
--
-- Run as a superuser (or a role with CREATEROLE that may grant on these objects), connected to the
-- application database; it is idempotent:
--
--   psql -d fanzha -v ON_ERROR_STOP=1 -f docs/deploy/postgres-roles.sql      # 1. roles and grants
--   FANZHA_DATABASE_URL=postgresql://fanzha_owner@dbhost/fanzha fanzha init  # 2. schema, as the owner
--   psql -d fanzha -v ON_ERROR_STOP=1 -f docs/deploy/postgres-roles.sql      # 3. again: audit_log now exists
--   psql -d fanzha -c '\password fanzha_owner' -c '\password fanzha_app'     # 4. passwords (not in this file)
--
-- then run the dashboard with FANZHA_DATABASE_URL=postgresql://fanzha_app@dbhost/fanzha. Step 3 (or any
-- later run) also hands tables created earlier by another role (e.g. postgres) to fanzha_owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fanzha_owner') THEN
        CREATE ROLE fanzha_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fanzha_app') THEN
        CREATE ROLE fanzha_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO fanzha_owner, fanzha_app', current_database());
END $$;

-- Only the owner creates objects.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO fanzha_owner;
GRANT USAGE ON SCHEMA public TO fanzha_app;

-- Hand existing tables (their id sequences follow) and the trigger function to the owner.
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'fanzha_owner' LOOP
        EXECUTE format('ALTER TABLE public.%I OWNER TO fanzha_owner', item.tablename);
    END LOOP;
    IF to_regprocedure('public.audit_log_refuse_change()') IS NOT NULL THEN
        ALTER FUNCTION public.audit_log_refuse_change() OWNER TO fanzha_owner;
    END IF;
END $$;

-- Tables and sequences the owner creates later (new migrations) are usable by the app.
ALTER DEFAULT PRIVILEGES FOR ROLE fanzha_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fanzha_app;
ALTER DEFAULT PRIVILEGES FOR ROLE fanzha_owner IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO fanzha_app;

-- Existing tables: data manipulation, no TRUNCATE, REFERENCES or TRIGGER; sequences: nextval and
-- setval (the demo loader moves id sequences past explicit ids).
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fanzha_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO fanzha_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO fanzha_app;

DO $$
BEGIN
    -- The audit trail: read and append only.
    IF to_regclass('public.audit_log') IS NOT NULL THEN
        REVOKE ALL ON public.audit_log FROM fanzha_app, PUBLIC;
        GRANT SELECT, INSERT ON public.audit_log TO fanzha_app;
    END IF;
    IF to_regclass('public.audit_log_id_seq') IS NOT NULL THEN
        REVOKE ALL ON SEQUENCE public.audit_log_id_seq FROM fanzha_app, PUBLIC;
        GRANT USAGE ON SEQUENCE public.audit_log_id_seq TO fanzha_app;
    END IF;
    -- The schema version: the app checks it at start; only the owner migrates.
    IF to_regclass('public.alembic_version') IS NOT NULL THEN
        REVOKE ALL ON public.alembic_version FROM fanzha_app;
        GRANT SELECT ON public.alembic_version TO fanzha_app;
    END IF;
END $$;

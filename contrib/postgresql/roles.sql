-- Roles for a shared divergence store. Run once as a superuser, then start one worker: it creates and migrates the tables.
CREATE ROLE divergence_writer LOGIN PASSWORD 'change-me';
CREATE ROLE divergence_reader LOGIN PASSWORD 'change-me-too';
CREATE DATABASE divergence OWNER divergence_writer;
\connect divergence
-- Readers (serve, report, ...) need to read every table and the change counter sequence, nothing else.
GRANT USAGE ON SCHEMA public TO divergence_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE divergence_writer IN SCHEMA public GRANT SELECT ON TABLES TO divergence_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE divergence_writer IN SCHEMA public GRANT SELECT ON SEQUENCES TO divergence_reader;

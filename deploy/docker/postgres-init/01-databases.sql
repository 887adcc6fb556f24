-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as
-- POSTGRES_USER. One database per service; each service's DB_NAME must be listed here.
-- The dashboard owns no data and has none (tools/deploy/docker-compose.spec.ts checks both).
CREATE DATABASE registry;
CREATE DATABASE sites;
CREATE DATABASE parcels;
CREATE DATABASE funds;
CREATE DATABASE analytics;

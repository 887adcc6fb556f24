-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as
-- POSTGRES_USER. One database per service; each service's DB_NAME must be listed here.
CREATE DATABASE registry;
CREATE DATABASE sites;
CREATE DATABASE parcels;
CREATE DATABASE funds;
CREATE DATABASE analytics;

-- Itembank schema baseline. Flyway owns the schema (spring.jpa.hibernate.ddl-auto=validate).
-- Feature tables arrive in later migrations; this one fixes the conventions they follow.
COMMENT ON SCHEMA public IS 'Itembank: benchmarks, versioned response matrices, calibrations, subsets, estimates, jobs';

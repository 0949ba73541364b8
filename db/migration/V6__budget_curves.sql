-- The budget advisor's error-against-budget curves: one per benchmark version, made by a "budget" job and read by
-- GET /api/v1/benchmarks/{name}/budget.
create table budget_curve (
    benchmark_id    bigint      not null references benchmark (id) on delete cascade,
    dataset_version integer     not null check (dataset_version >= 1),
    job_id          uuid        not null,
    curve           jsonb       not null,
    created_at      timestamptz not null default now(),
    primary key (benchmark_id, dataset_version)
);

-- The durable job queue and the immutable resources that jobs publish.
-- Workers claim jobs with "for update skip locked" and hold a lease that their heartbeat extends; a job whose
-- lease ran out (its worker died) is claimed again. claim_token changes with every claim, so a worker that lost
-- its lease can no longer publish a result.

create table job (
    id               uuid        primary key,
    type             text        not null,
    benchmark_id     bigint      references benchmark (id) on delete cascade,
    parameters       jsonb       not null,
    state            text        not null check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress         double precision not null default 0 check (progress between 0 and 1),
    message          text,
    attempts         integer     not null default 0,
    claim_token      uuid,
    worker           text,
    lease_until      timestamptz,
    cancel_requested boolean     not null default false,
    result           text,
    error            jsonb,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
create index job_claimable on job (created_at) where state in ('queued', 'running');
create index job_by_state on job (state, created_at);

-- A calibration: item parameters over every column of the dataset version it pins (items that preprocessing
-- dropped are stored as flat items, slope 0, at their training mean, and listed in dropped_columns), the
-- abilities of the models it was fitted on, and its diagnostics. Parameters are packed float64 arrays.
create table calibration (
    id              uuid        primary key,
    benchmark_id    bigint      not null references benchmark (id) on delete cascade,
    version         integer     not null check (version >= 1),
    dataset_version integer     not null,
    job_id          uuid        not null,
    request         jsonb       not null,
    model           text        not null,
    dimensions      integer     not null check (dimensions >= 1),
    parameters      bytea       not null,
    dropped_columns integer[]   not null,
    ability_models  text[]      not null,
    abilities       bytea       not null,
    held_out_models text[]      not null,
    diagnostics     jsonb       not null,
    created_at      timestamptz not null default now(),
    unique (benchmark_id, version),
    foreign key (benchmark_id, dataset_version) references dataset_version (benchmark_id, version)
);

-- A subset: its items (ids, scenarios, columns in the pinned dataset version) and weights, how it was made, its
-- backtest, and the fitted estimators (lambdas, regressions, residuals) that estimates read it with.
create table subset (
    id              uuid             primary key,
    benchmark_id    bigint           not null references benchmark (id) on delete cascade,
    version         integer          not null check (version >= 1),
    dataset_version integer          not null,
    calibration_id  uuid             not null references calibration (id),
    job_id          uuid             not null,
    request         jsonb            not null,
    method          text             not null,
    parameters      jsonb            not null,
    seed            bigint           not null,
    items_per_scenario integer,
    total_items     integer          not null,
    form            integer          not null check (form >= 1),
    forms           integer          not null check (forms >= form),
    item_ids        text[]           not null,
    scenarios       text[]           not null,
    columns         integer[]        not null,
    weights         double precision[] not null,
    diagnostics     jsonb            not null,
    backtest        jsonb            not null,
    estimation      jsonb            not null,
    created_at      timestamptz      not null default now(),
    unique (benchmark_id, version)
);

create table estimate (
    id          uuid        primary key,
    subset_id   uuid        not null references subset (id) on delete cascade,
    model       text        not null,
    responses   jsonb       not null,
    result      jsonb       not null,
    created_at  timestamptz not null default now()
);
create index estimate_by_subset on estimate (subset_id, created_at);

-- Per benchmark: after each upload, queue a calibration and then a subset with these requests.
create table auto_refresh (
    benchmark_id bigint      primary key references benchmark (id) on delete cascade,
    calibration  jsonb       not null,
    subset       jsonb       not null,
    updated_at   timestamptz not null default now()
);

-- Benchmarks, their item catalogue, model metadata and immutable, versioned response matrices.
-- A matrix is never stored one row per cell: each model's results are one model_row whose cells are packed
-- (binary: one bit per cell; continuous: a 32-bit float per cell), and a dataset version is a list
-- of model_row ids, so versions share unchanged rows (copy-on-write).

create table benchmark (
    id             bigserial primary key,
    name           text        not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    description    text,
    created_at     timestamptz not null default now(),
    latest_version integer     not null default 0 check (latest_version >= 0)
);

-- The item catalogue is append-only: an item keeps its ordinal for ever, and packed rows index cells by it.
-- Items are stored in blocks of 1024 ordinals (block b holds ordinals [1024 b, 1024 b + 1024)), one array per
-- field, so a 28,659-item benchmark is 28 rows that PostgreSQL compresses, not 28,659 rows with two indexes.
-- Item ids are unique within a benchmark; the service checks that while it holds the benchmark's row lock.
create table item_block (
    benchmark_id bigint    not null references benchmark (id) on delete cascade,
    block        integer   not null check (block >= 0),
    item_ids     text[]    not null,
    scenarios    text[]    not null,
    subscenarios text[]    not null,
    texts        text[]    not null,
    metadata     text[]    not null,
    declared     boolean[] not null,
    primary key (benchmark_id, block),
    check (cardinality(item_ids) between 1 and 1024)
);

create table model_info (
    benchmark_id bigint not null references benchmark (id) on delete cascade,
    model        text   not null,
    released     date,
    parameters   double precision,
    family       text,
    scores       jsonb,
    metadata     jsonb,
    updated_at   timestamptz not null default now(),
    primary key (benchmark_id, model)
);

-- One model's results in one upload. encoding 1 = binary, 2 = float32 (IEEE 754 binary32).
-- present: little-endian bitmap over ordinals [0, width), empty when every cell is present.
-- cells: binary -> bitmap of correct answers; float32 -> width big-endian float values.
create table model_row (
    id           bigserial primary key,
    benchmark_id bigint           not null references benchmark (id) on delete cascade,
    model        text             not null,
    encoding     smallint         not null check (encoding in (1, 2)),
    width        integer          not null check (width >= 0),
    present      bytea            not null,
    cells        bytea            not null,
    answered     integer          not null,
    mean_score   double precision,
    content_hash bytea            not null,
    created_at   timestamptz      not null default now()
);
create index model_row_benchmark on model_row (benchmark_id);

-- An immutable snapshot: its models (row_ids, in row order), its columns (item ordinals in upload order, as
-- big-endian int32) and the scenario and sub-scenario of each column at the time it was made.
create table dataset_version (
    benchmark_id          bigint      not null references benchmark (id) on delete cascade,
    version               integer     not null check (version >= 1),
    row_ids               bigint[]    not null,
    columns               bytea       not null,
    scenario_names        text[]      not null,
    column_scenarios      bytea       not null,
    subscenario_names     text[]      not null,
    column_subscenarios   bytea       not null,
    model_count           integer     not null,
    item_count            integer     not null,
    binary_only           boolean     not null,
    added_models          text[]      not null,
    replaced_models       text[]      not null,
    reason                text        not null,
    content_hash          text        not null,
    created_at            timestamptz not null default now(),
    primary key (benchmark_id, version)
);

-- Adaptive testing sessions: a model answers a calibration's items in batches, each batch chosen from its answers so
-- far. The state (items asked in order, their answers, the batch still pending) lives here, so a session survives
-- restarts and any replica can continue it; revision guards concurrent answers to the same session.
create table adaptive_session (
    id             uuid        primary key,
    calibration_id uuid        not null references calibration (id) on delete cascade,
    benchmark_id   bigint      not null references benchmark (id) on delete cascade,
    model          text        not null,
    spec           jsonb       not null,
    asked          text[]      not null,
    answers        double precision[] not null,
    pending        text[]      not null,
    done           boolean     not null,
    reason         text,
    revision       integer     not null default 0,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);

create index adaptive_session_calibration on adaptive_session (calibration_id);

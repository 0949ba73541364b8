-- What lm-evaluation-harness runs the results came from: per model and task, the harness and task versions, the
-- number of few-shot examples, the filter and metric read; per item, the hashes of its document, prompt and target
-- as first imported (the reference that later runs, and estimates, are compared with).
create table run_provenance (
    benchmark_id    bigint      not null references benchmark (id) on delete cascade,
    model           text        not null,
    task            text        not null,
    harness_version text,
    task_version    text,
    n_shot          integer,
    filter          text,
    metric          text,
    samples         integer     not null,
    imported_at     timestamptz not null default now(),
    primary key (benchmark_id, model, task)
);

create table item_hash (
    benchmark_id bigint not null references benchmark (id) on delete cascade,
    item_id      text   not null,
    doc_hash     text,
    prompt_hash  text,
    target_hash  text,
    primary key (benchmark_id, item_id)
);

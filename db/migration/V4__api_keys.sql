-- API keys: only a SHA-256 hash of each key is stored (keys are 32 random bytes, so a plain hash is enough);
-- the key itself is shown once, when it is made. A revoked key stays listed, with the time it was revoked.
create table api_key (
    id         uuid        primary key,
    name       text        not null check (length(name) between 1 and 200),
    role       text        not null check (role in ('reader', 'writer', 'admin')),
    key_hash   bytea       not null unique,
    key_prefix text        not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);

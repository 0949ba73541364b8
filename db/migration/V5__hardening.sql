-- A metrics role (the Prometheus scrape and nothing else), and who queued each job (per-key quotas of queued
-- and running jobs).
alter table api_key drop constraint api_key_role_check;
alter table api_key add constraint api_key_role_check check (role in ('reader', 'writer', 'admin', 'metrics'));

alter table job add column requested_by uuid;
create index job_active_by_requester on job (requested_by) where state in ('queued', 'running');

-- a subset's estimates of one model, newest first (GET /subsets/{id}/estimates?model=)
create index estimate_by_subset_model on estimate (subset_id, model, created_at);

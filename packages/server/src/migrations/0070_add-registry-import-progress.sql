-- A register import runs in the background: its state, how far it got (the page polls it) and,
-- while it runs, where its uploaded file waits on disk (so a restart can run it again).
alter table registry_imports
  add column status     text not null default 'done' check (status in ('running', 'done', 'failed')),
  add column bytes_total int not null default 0,
  add column bytes_done  int not null default 0,
  add column failure    text,
  add column file_path  text,
  add column finished_at timestamptz;

-- A photo's own time and place, read on the phone from the original's EXIF (DateTimeOriginal and
-- GPS) before it is redrawn smaller (which drops the EXIF). Null when the original carried none.
alter table lead_photos
  add column taken_at timestamptz,
  add column latitude double precision check (latitude between -90 and 90),
  add column longitude double precision check (longitude between -180 and 180);

alter table care_visit_photos
  add column taken_at timestamptz,
  add column latitude double precision check (latitude between -90 and 90),
  add column longitude double precision check (longitude between -180 and 180);

alter table case_photos
  add column taken_at timestamptz,
  add column latitude double precision check (latitude between -90 and 90),
  add column longitude double precision check (longitude between -180 and 180);

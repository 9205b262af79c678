-- The figures of a region read its rows rolled up (modules/dashboard/aggregates.ts). Until now a read
-- added up the rows of every village under the region, month by month: the city's figures summed
-- ~15,000 rows of figures_monthly per request at city size (one year of history), ~100,000 at
-- province size, and more every year. figures_rollup holds the same sums per township, county, city
-- and province (a region code's first 9, 6, 4 or 2 digits): the total of a region, or one figure
-- per child region on the map, reads one row per month and breakdown. A row of figures_monthly
-- counts in the rollup of every prefix of its region code down to its own length (a row filed on a
-- township is in its township's, county's, city's and province's rollups, not in a village's).
-- Written only by the recount, in the same transaction as figures_monthly: a recount of some regions
-- rolls up again the prefixes of those regions, a full recount all of them.
create table figures_rollup (like figures_monthly including defaults);
alter table figures_rollup add primary key (region_code, month, kind);

insert into figures_rollup
select left(region_code, l.len), month, kind,
       sum(recipient_households), sum(recipient_people), sum(new_enrolments), sum(paid_fen), sum(paid_lines),
       sum(leads_issued), sum(leads_checked), sum(overdue_leads), sum(overdue_cases), sum(cases_decided),
       sum(decision_working_days), sum(claims_paid), sum(claims_paid_fen), sum(province_records),
       sum(province_accepted), sum(province_rejected)
  from figures_monthly
  join (values (2), (4), (6), (9)) l(len) on length(region_code) >= l.len
 group by 1, 2, 3;

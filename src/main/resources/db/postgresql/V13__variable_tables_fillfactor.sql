-- Every fired timer updates about five of its journey's variables and two of their history rows.
-- PostgreSQL can rewrite a row in place of its page (a "HOT" update, no index touched) only when
-- the page has room for the new version; the engine fills its pages to the brim, so each update
-- wrote a new entry into every index of the table: eleven on ACT_RU_VARIABLE, twelve on
-- ACT_HI_VARINST. With a million waiting journeys that made the variable update the dearest
-- statement of a firing (0.75 ms each, 98 % not HOT). With room left on each page all of them
-- were HOT, and PostgreSQL spent 2.8 ms less CPU per fired timer; an update still reads its row's
-- page, most of its 0.46 ms on a cold cache (docs/benchmarks.md, section 5). The setting applies
-- to pages written from now on; rows already stored stay packed until the table is rewritten
-- (README, "Running on PostgreSQL").
alter table act_ru_variable set (fillfactor = 80);
alter table act_hi_varinst set (fillfactor = 90);

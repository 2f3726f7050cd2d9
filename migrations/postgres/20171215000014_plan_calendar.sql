-- A plan's year: the month its financial year starts (2–12; 4, April, in UK local
-- government), which sets the days of every quarter, and how often it reports to Cabinet
-- ('half-year': after Q2 and Q4; 'quarter': after every quarter).
ALTER TABLE plan ADD COLUMN year_starts INTEGER NOT NULL DEFAULT 4;
ALTER TABLE plan ADD COLUMN reporting TEXT NOT NULL DEFAULT 'half-year';

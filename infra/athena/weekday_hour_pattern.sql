-- Sessions by day of the week and hour of the day over a range of reporting days: 7 x 24 rows, weekday 1 = Monday to
-- 7 = Sunday (of the reporting day), hour 0-23 in the reporting zone, a session counted in the hour it started.
-- Parameters: the first and the last day, both included ('YYYY-MM-DD'). The figures of byWeekdayHour in
-- GET /api/insights/hourly (its row weekday - 1, its column hour).
WITH days AS (
    SELECT dt,
           byHour
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
),
weekdays AS (
    SELECT weekday
    FROM (VALUES (1), (2), (3), (4), (5), (6), (7)) AS w(weekday)
),
hours AS (
    SELECT hour
    FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23)) AS h(hour)
),
sums AS (
    SELECT day_of_week(CAST(d.dt AS DATE)) AS weekday,
           h.hour,
           SUM(CAST(json_extract_scalar(d.byHour, '$[' || CAST(h.hour AS VARCHAR) || '].sessions') AS BIGINT)) AS sessions
    FROM days d
    CROSS JOIN hours h
    GROUP BY day_of_week(CAST(d.dt AS DATE)), h.hour
)
SELECT w.weekday,
       h.hour,
       COALESCE(s.sessions, 0) AS sessions
FROM weekdays w
CROSS JOIN hours h
LEFT JOIN sums s ON s.weekday = w.weekday AND s.hour = h.hour
ORDER BY w.weekday, h.hour

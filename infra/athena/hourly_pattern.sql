-- Sessions, completed sessions, conversion and errors by hour of the day (0-23 in the reporting zone) over a range of
-- reporting days. Parameters: the first and the last day, both included ('YYYY-MM-DD'). A session counts in the hour
-- it started, an error in the hour it happened; conversion_rate = completed / sessions rounded half-up to 4 decimals
-- (0 without sessions). The figures of byHour in GET /api/insights/hourly; net sales by hour stay in the byHour JSON.
-- Rounding in whole numbers, exact: floor((2 x 10^4 x part + whole) / (2 x whole)) / 10^4.
WITH days AS (
    SELECT byHour
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
),
hours AS (
    SELECT hour
    FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23)) AS h(hour)
),
sums AS (
    SELECT h.hour,
           SUM(CAST(json_extract_scalar(d.byHour, '$[' || CAST(h.hour AS VARCHAR) || '].sessions') AS BIGINT)) AS sessions,
           SUM(CAST(json_extract_scalar(d.byHour, '$[' || CAST(h.hour AS VARCHAR) || '].completed') AS BIGINT)) AS completed,
           SUM(CAST(json_extract_scalar(d.byHour, '$[' || CAST(h.hour AS VARCHAR) || '].errors') AS BIGINT)) AS errors
    FROM days d
    CROSS JOIN hours h
    GROUP BY h.hour
),
filled AS (
    SELECT h.hour,
           COALESCE(s.sessions, 0) AS sessions,
           COALESCE(s.completed, 0) AS completed,
           COALESCE(s.errors, 0) AS errors
    FROM hours h
    LEFT JOIN sums s ON s.hour = h.hour
)
SELECT hour,
       sessions,
       completed,
       CASE WHEN sessions = 0 THEN CAST(0 AS DECIMAL(18,4))
            ELSE CAST((20000 * completed + sessions) / (2 * sessions) AS DECIMAL(18,0)) * CAST(0.0001 AS DECIMAL(5,4))
       END AS conversion_rate,
       errors
FROM filled
ORDER BY hour

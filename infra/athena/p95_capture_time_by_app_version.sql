-- P95 capture time by app version over the last 30 days: nearest-rank, exact (the same definition as the daily
-- summaries), over every capture successful or not. A capture's app version is its session's; captures
-- without a session count under 'unknown'.
WITH capture_times AS (
    SELECT COALESCE(s.appVersion, 'unknown') AS appVersion,
           p.durationMs
    FROM performance p
    LEFT JOIN sessions s
           ON s.sessionId = p.sessionId
          AND s.dt >= CAST(CAST(current_date - INTERVAL '31' DAY AS DATE) AS VARCHAR)
    WHERE p.metricType = 'capture'
      AND p.dt >= CAST(CAST(current_date - INTERVAL '30' DAY AS DATE) AS VARCHAR)
),
ranked AS (
    SELECT appVersion,
           durationMs,
           ROW_NUMBER() OVER (PARTITION BY appVersion ORDER BY durationMs) AS rank_no,
           COUNT(*) OVER (PARTITION BY appVersion) AS captures
    FROM capture_times
)
SELECT appVersion,
       MAX(captures) AS captures,
       MIN(CASE WHEN rank_no >= CEIL(0.95 * captures) THEN durationMs END) AS p95_ms
FROM ranked
GROUP BY appVersion
ORDER BY appVersion

-- Errors per 100 sessions of every store over a range of reporting days, highest first. Parameters: the first and the
-- last day, both included ('YYYY-MM-DD'). errors_per_100_sessions = errors x 100 / sessions rounded half-up to 2
-- decimals, null without sessions (ranked last); ties by store id: the rows of
-- GET /api/insights/breakdown?by=store&metric=errorsPer100Sessions, in its order. Kiosks without a store count under
-- 'unknown'. Rounding in whole numbers, exact: floor((2 x 10^4 x errors + sessions) / (2 x sessions)) / 10^2.
WITH stores AS (
    SELECT storeId,
           SUM(sessionsTotal) AS sessions,
           SUM(CAST(json_extract_scalar(errors, '$.total') AS BIGINT)) AS errors
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
    GROUP BY storeId
),
rated AS (
    SELECT storeId,
           sessions,
           errors,
           CASE WHEN sessions = 0 THEN NULL
                ELSE CAST((20000 * errors + sessions) / (2 * sessions) AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2))
           END AS errors_per_100_sessions
    FROM stores
)
SELECT ROW_NUMBER() OVER (ORDER BY errors_per_100_sessions DESC NULLS LAST, storeId) AS ranking,
       storeId,
       sessions,
       errors,
       errors_per_100_sessions
FROM rated
ORDER BY ranking

-- Stores ranked by conversion over a range of reporting days. Parameters: the first and the last day, both included
-- ('YYYY-MM-DD'). conversion_rate = completed / sessions rounded half-up to 4 decimals (0 without sessions), ties by
-- store id: the rows of GET /api/insights/breakdown?by=store&metric=conversionRate, in its order. Kiosks without a
-- store count under 'unknown'. Rounding in whole numbers, exact: floor((2 x 10^4 x part + whole) / (2 x whole)) / 10^4.
WITH stores AS (
    SELECT storeId,
           SUM(sessionsTotal) AS sessions,
           SUM(sessionsCompleted) AS completed
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
    GROUP BY storeId
),
rated AS (
    SELECT storeId,
           sessions,
           completed,
           CASE WHEN sessions = 0 THEN CAST(0 AS DECIMAL(18,4))
                ELSE CAST((20000 * completed + sessions) / (2 * sessions) AS DECIMAL(18,0)) * CAST(0.0001 AS DECIMAL(5,4))
           END AS conversion_rate
    FROM stores
)
SELECT ROW_NUMBER() OVER (ORDER BY conversion_rate DESC, storeId) AS ranking,
       storeId,
       sessions,
       completed,
       conversion_rate
FROM rated
ORDER BY ranking

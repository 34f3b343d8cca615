-- Stores ranked by net sales in one currency over a range of reporting days. Parameters: the first and the last day,
-- both included ('YYYY-MM-DD'), then the currency ('KRW'). Exact DECIMAL(18,2) sums; a store with records in the range
-- but no sale in that currency has 0. Ties by store id: the rows of
-- GET /api/insights/breakdown?by=store&metric=net.<currency>, in its order. Kiosks without a store count under 'unknown'.
WITH days AS (
    SELECT storeId,
           sessionsTotal,
           net
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
),
in_currency AS (
    SELECT d.storeId,
           SUM(d.net[c.currency]) AS net
    FROM days d
    CROSS JOIN UNNEST(map_keys(d.net)) AS c(currency)
    WHERE c.currency = ?
    GROUP BY d.storeId
),
stores AS (
    SELECT storeId,
           SUM(sessionsTotal) AS sessions
    FROM days
    GROUP BY storeId
)
SELECT ROW_NUMBER() OVER (ORDER BY COALESCE(n.net, 0) DESC, s.storeId) AS ranking,
       s.storeId,
       COALESCE(n.net, 0) AS net,
       s.sessions
FROM stores s
LEFT JOIN in_currency n ON n.storeId = s.storeId
ORDER BY ranking

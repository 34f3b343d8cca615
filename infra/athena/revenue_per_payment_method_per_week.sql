-- Revenue per payment method per week (weeks start on Monday, reporting-zone days) over the last 12 weeks.
-- Amounts are exact DECIMAL(18,2) sums, one row per currency.
SELECT CAST(CAST(date_trunc('week', CAST(dt AS DATE)) AS DATE) AS VARCHAR) AS week_start,
       paymentMethod,
       currency,
       COUNT(*) AS sales,
       SUM(amounts.gross) AS gross,
       SUM(amounts.discount) AS discount,
       SUM(amounts.net) AS net
FROM sales
WHERE dt >= CAST(CAST(current_date - INTERVAL '84' DAY AS DATE) AS VARCHAR)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3

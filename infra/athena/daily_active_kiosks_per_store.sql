-- Daily active kiosks per store over the last 30 days: a kiosk is active on a reporting day when it sent
-- anything that day (it then has a daily summary). Kiosks without a store are counted under 'unknown'.
SELECT dt,
       storeId,
       COUNT(DISTINCT deviceId) AS active_kiosks
FROM daily_summary
WHERE dt >= CAST(CAST(current_date - INTERVAL '30' DAY AS DATE) AS VARCHAR)
GROUP BY dt, storeId
ORDER BY dt, storeId

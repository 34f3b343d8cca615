-- Top error fingerprints over the last 30 days: the problems seen most often, with how many kiosks had them.
SELECT fingerprint,
       MAX(category) AS category,
       MAX(code) AS code,
       COUNT(*) AS occurrences,
       COUNT(DISTINCT deviceId) AS kiosks,
       MIN("timestamp") AS first_seen,
       MAX("timestamp") AS last_seen
FROM errors
WHERE dt >= CAST(CAST(current_date - INTERVAL '30' DAY AS DATE) AS VARCHAR)
GROUP BY fingerprint
ORDER BY occurrences DESC, fingerprint
LIMIT 20

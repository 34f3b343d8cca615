-- Funnel conversion by stage over the last 30 days: sessions that reached each of the 8 stages (reaching a
-- stage implies reaching the ones before it), as a share of those that reached 'attract' and of the stage before.
WITH days AS (
    SELECT funnel
    FROM daily_summary
    WHERE dt >= CAST(CAST(current_date - INTERVAL '30' DAY AS DATE) AS VARCHAR)
),
reached AS (
    SELECT 1 AS stage_no, 'attract' AS stage, SUM(CAST(json_extract_scalar(funnel, '$.reached.attract') AS BIGINT)) AS sessions FROM days
    UNION ALL
    SELECT 2, 'start', SUM(CAST(json_extract_scalar(funnel, '$.reached.start') AS BIGINT)) FROM days
    UNION ALL
    SELECT 3, 'frame_select', SUM(CAST(json_extract_scalar(funnel, '$.reached.frame_select') AS BIGINT)) FROM days
    UNION ALL
    SELECT 4, 'capture', SUM(CAST(json_extract_scalar(funnel, '$.reached.capture') AS BIGINT)) FROM days
    UNION ALL
    SELECT 5, 'edit', SUM(CAST(json_extract_scalar(funnel, '$.reached.edit') AS BIGINT)) FROM days
    UNION ALL
    SELECT 6, 'payment', SUM(CAST(json_extract_scalar(funnel, '$.reached.payment') AS BIGINT)) FROM days
    UNION ALL
    SELECT 7, 'print', SUM(CAST(json_extract_scalar(funnel, '$.reached.print') AS BIGINT)) FROM days
    UNION ALL
    SELECT 8, 'complete', SUM(CAST(json_extract_scalar(funnel, '$.reached.complete') AS BIGINT)) FROM days
)
SELECT stage_no,
       stage,
       sessions,
       ROUND(CAST(sessions AS DOUBLE) / NULLIF(FIRST_VALUE(sessions) OVER (ORDER BY stage_no), 0), 4) AS share_of_attract,
       ROUND(CAST(sessions AS DOUBLE) / NULLIF(LAG(sessions) OVER (ORDER BY stage_no), 0), 4) AS share_of_previous
FROM reached
ORDER BY stage_no

-- Funnel drop-off per stage over a range of reporting days. Parameters: the first and the last day, both included
-- ('YYYY-MM-DD'). reached = sessions that reached the stage (reaching a stage counts the ones before it);
-- drop_off = 1 - reached(next stage) / reached(stage), rounded half-up to 4 decimals, 0 when none reached the stage,
-- null for 'complete': funnel.reached and funnel.dropOff of GET /api/insights/overview.
-- Rounding in whole numbers, exact: floor((2 x 10^4 x part + whole) / (2 x whole)) / 10^4.
WITH days AS (
    SELECT funnel
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
),
stages AS (
    SELECT stage_no,
           stage
    FROM (VALUES (1, 'attract'), (2, 'start'), (3, 'frame_select'), (4, 'capture'), (5, 'edit'), (6, 'payment'),
                 (7, 'print'), (8, 'complete')) AS s(stage_no, stage)
),
sums AS (
    SELECT s.stage_no,
           SUM(CAST(json_extract_scalar(d.funnel, '$.reached.' || s.stage) AS BIGINT)) AS reached
    FROM days d
    CROSS JOIN stages s
    GROUP BY s.stage_no
),
staged AS (
    SELECT s.stage_no,
           s.stage,
           COALESCE(r.reached, 0) AS reached,
           LEAD(COALESCE(r.reached, 0)) OVER (ORDER BY s.stage_no) AS next_reached
    FROM stages s
    LEFT JOIN sums r ON r.stage_no = s.stage_no
)
SELECT stage_no,
       stage,
       reached,
       CASE WHEN next_reached IS NULL THEN NULL
            WHEN reached = 0 THEN CAST(0 AS DECIMAL(18,4))
            ELSE CAST((20000 * (reached - next_reached) + reached) / (2 * reached) AS DECIMAL(18,0)) * CAST(0.0001 AS DECIMAL(5,4))
       END AS drop_off
FROM staged
ORDER BY stage_no

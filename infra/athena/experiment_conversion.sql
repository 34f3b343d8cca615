-- Conversion of every experiment's variants over a range of reporting days, with the sample sizes. Parameters: the
-- first and the last day, both included ('YYYY-MM-DD'). sessions = the sessions that carried the variant (the sample),
-- completed = those of them completed, conversion_rate = completed / sessions rounded half-up to 4 decimals (0
-- without sessions): the figures of GET /api/insights/experiments, which adds the intervals, uplift and p-values.
-- Rounding in whole numbers, exact: floor((2 x 10^4 x part + whole) / (2 x whole)) / 10^4.
WITH days AS (
    SELECT CAST(json_parse(experiments) AS MAP(VARCHAR, MAP(VARCHAR, JSON))) AS experiments
    FROM daily_summary
    WHERE dt BETWEEN ? AND ?
),
variants AS (
    SELECT e.experiment,
           v.variant,
           SUM(CAST(json_extract_scalar(d.experiments[e.experiment][v.variant], '$.sessions') AS BIGINT)) AS sessions,
           SUM(CAST(json_extract_scalar(d.experiments[e.experiment][v.variant], '$.completed') AS BIGINT)) AS completed
    FROM days d
    CROSS JOIN UNNEST(map_keys(d.experiments)) AS e(experiment)
    CROSS JOIN UNNEST(map_keys(d.experiments[e.experiment])) AS v(variant)
    GROUP BY e.experiment, v.variant
)
SELECT experiment,
       variant,
       sessions,
       completed,
       CASE WHEN sessions = 0 THEN CAST(0 AS DECIMAL(18,4))
            ELSE CAST((20000 * completed + sessions) / (2 * sessions) AS DECIMAL(18,0)) * CAST(0.0001 AS DECIMAL(5,4))
       END AS conversion_rate
FROM variants
ORDER BY experiment, variant

-- PLACEHOLDER of branch csl, so that its 0008 runs on this branch alone.
-- The real 0006 comes from another branch: DELETE THIS FILE AT MERGE.
SELECT 1;

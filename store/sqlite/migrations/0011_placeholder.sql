-- 0011: a placeholder for another branch's migration; the lead deletes it at merge.
SELECT 1;

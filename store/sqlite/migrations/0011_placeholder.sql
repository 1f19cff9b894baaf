-- 0011: a placeholder for another branch's migration; the lead removes it at merge.
SELECT 1;

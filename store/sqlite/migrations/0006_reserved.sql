-- 0006: reserved for another branch's migration; this branch (extract)
-- was given 0007. When the branches merge, the real 0006 replaces this
-- file.
SELECT 1;

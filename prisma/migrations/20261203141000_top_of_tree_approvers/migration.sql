-- Top-of-tree approvers (issue 9 §5): the head of a unit at the top of the org tree asking for themselves
-- has nobody a level above; the stage goes to the approver configured for the root (ROOT_APPROVER), else
-- to the system's owners and the security officers (TOP_OF_TREE), and the request says which.
ALTER TYPE "ApproverSource" ADD VALUE IF NOT EXISTS 'ROOT_APPROVER';
ALTER TYPE "ApproverSource" ADD VALUE IF NOT EXISTS 'TOP_OF_TREE';

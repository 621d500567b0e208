-- The Task Manager (issue 10): tasks and their comments, per tenant. Keys carry the tenant,
-- so a comment can only belong to a task of its own tenant; row-level security is forced.
CREATE TABLE tasks (
  tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  title         varchar(200) NOT NULL CHECK (length(trim(title)) > 0),
  description   text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  status        varchar(20) NOT NULL DEFAULT 'TODO'
                CHECK (status IN ('TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
  priority      varchar(10) NOT NULL DEFAULT 'MEDIUM'
                CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
  assignee_id   uuid REFERENCES users(id) ON DELETE SET NULL,
  due_date      date,
  labels        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(labels) <= 20),
  custom_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  created_by    uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
  -- LOW < MEDIUM < HIGH < URGENT, for sorting by an index rather than the alphabet.
  priority_rank smallint GENERATED ALWAYS AS (
                  CASE priority WHEN 'LOW' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'HIGH' THEN 3 ELSE 4 END
                ) STORED,
  PRIMARY KEY (tenant_id, id)
);
-- The list's orders and filters, each within one tenant, each ending in the id that breaks
-- ties (so a page is an index range, not a sort).
CREATE INDEX idx_tasks_created ON tasks (tenant_id, created_at DESC, id DESC);
CREATE INDEX idx_tasks_updated ON tasks (tenant_id, updated_at DESC, id DESC);
CREATE INDEX idx_tasks_title ON tasks (tenant_id, title, id);
CREATE INDEX idx_tasks_due ON tasks (tenant_id, due_date, id);
CREATE INDEX idx_tasks_priority ON tasks (tenant_id, priority_rank, id);
CREATE INDEX idx_tasks_status ON tasks (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX idx_tasks_status_priority ON tasks (tenant_id, status, priority_rank, id);
CREATE INDEX idx_tasks_assignee ON tasks (tenant_id, assignee_id, created_at DESC, id DESC);
CREATE INDEX idx_tasks_creator ON tasks (tenant_id, created_by, created_at DESC, id DESC);
CREATE INDEX idx_tasks_labels ON tasks USING gin (labels);
-- Deleting a user sets these to NULL: found by index, not by scanning every tenant.
CREATE INDEX idx_tasks_assignee_fk ON tasks (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX idx_tasks_creator_fk ON tasks (created_by) WHERE created_by IS NOT NULL;

CREATE TABLE task_comments (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  task_id    uuid NOT NULL,
  author_id  uuid REFERENCES users(id) ON DELETE SET NULL,
  body       text NOT NULL CHECK (length(trim(body)) > 0 AND length(body) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX idx_task_comments_task ON task_comments (tenant_id, task_id, created_at);
CREATE INDEX idx_task_comments_author_fk ON task_comments (author_id) WHERE author_id IS NOT NULL;

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tasks_read ON tasks FOR SELECT USING (tenant_id = inti_current_tenant());
CREATE POLICY tasks_insert ON tasks FOR INSERT WITH CHECK (tenant_id = inti_current_tenant());
CREATE POLICY tasks_update ON tasks FOR UPDATE
  USING (tenant_id = inti_current_tenant()) WITH CHECK (tenant_id = inti_current_tenant());
CREATE POLICY tasks_delete ON tasks FOR DELETE USING (tenant_id = inti_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks TO inti_app;

ALTER TABLE task_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_comments FORCE ROW LEVEL SECURITY;
CREATE POLICY task_comments_read ON task_comments FOR SELECT
  USING (tenant_id = inti_current_tenant());
CREATE POLICY task_comments_insert ON task_comments FOR INSERT
  WITH CHECK (tenant_id = inti_current_tenant() AND author_id = inti_current_user());
GRANT SELECT, INSERT ON task_comments TO inti_app;

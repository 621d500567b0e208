import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectHydrated, logIn } from './helpers';

/** Drags a board card by its handle onto a column, with the mouse. */
async function dragTo(page: Page, handle: Locator, column: Locator) {
  const from = (await handle.boundingBox())!;
  const to = (await column.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 20, { steps: 10 });
  await page.mouse.move(to.x + to.width / 2, to.y + 22, { steps: 2 });
  await page.mouse.up();
}

test('a user creates a task through the generated form, finds it in the list and moves it on the board', async ({ page }) => {
  // The longest flow of the suite (a form, a list, two reloads of the board, an edit).
  test.slow();
  const title = `Water the plants ${Date.now()}`;
  await logIn(page, 'user@taskmanager.com');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });

  // From the sidebar to the generated task form; a validation error first.
  await nav.getByRole('link', { name: 'Create Task' }).click();
  await expect(page).toHaveURL(/\/tasks\/create$/);
  const form = page.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  await form.getByRole('button', { name: 'Save task' }).click();
  await expect(page.getByTestId('error-summary')).toBeFocused();
  await expect(page.getByTestId('error-summary')).toContainText('Title: is required');
  await expect(form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Title').fill(title);
  await expect(page.getByTestId('error-summary')).toHaveCount(0);
  await form.getByLabel('Priority').selectOption('HIGH');
  await form.getByLabel('Due date').fill('2027-03-01');
  await form.getByRole('button', { name: 'Save task' }).click();
  await expect(page.getByTestId('form-notice')).toContainText(`Task "${title}" created.`);
  await expect(form.getByLabel('Title')).toHaveValue('');

  // The list, filtered by text and priority, as a link that keeps the filters.
  await nav.getByRole('link', { name: 'All Tasks' }).click();
  await expect(page).toHaveURL(/\/tasks\/list$/);
  await page.getByLabel('Search').fill(title);
  await page.getByRole('combobox', { name: 'Priority' }).selectOption('HIGH');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/search=Water/);
  await expect(page).toHaveURL(/priority=HIGH/);
  const rows = page.getByTestId('task-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(title);
  await expect(rows.first()).toContainText('To do');
  await page.getByRole('combobox', { name: 'Priority' }).selectOption('LOW');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('tasks-empty')).toContainText('No tasks match these filters.');

  // The board: drag the card from To do to Done; it stays there after a reload.
  await nav.getByRole('link', { name: 'Board', exact: true }).click();
  await expect(page).toHaveURL(/\/tasks\/board$/);
  const board = page.locator('[data-testid="board"][data-hydrated="true"]');
  await expect(board).toBeVisible();
  const card = page.getByTestId('board-card').filter({ hasText: title });
  await expect(page.getByTestId('board-column-TODO').getByText(title)).toBeVisible();
  await dragTo(page, card.getByRole('button', { name: `Move ${title}` }), page.getByTestId('board-column-DONE'));
  await expect(page.getByTestId('dnd-announcement')).toHaveText(`${title} moved to Done.`);
  await expect(page.getByTestId('board-column-DONE').getByText(title)).toBeVisible();
  // The move shows at once; the board says when the server has it, and only then is it safe to leave.
  await expect(page.getByTestId('board-save-status')).toHaveText('All moves saved.');
  await page.reload();
  await expect(page.getByTestId('board-column-DONE').getByText(title)).toBeVisible();

  // And by keyboard, once the reloaded board is hydrated (a key pressed before is lost): Space, Left (to In progress), Space.
  await expect(board).toBeVisible({ timeout: 20_000 });
  const handle = page.getByTestId('board-column-DONE').getByRole('button', { name: `Move ${title}` });
  await handle.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('dnd-announcement')).toHaveText(`${title} is over In progress. Space puts it down.`);
  // The card is drawn anew in its new column and its handle gets the focus back on the next
  // frame: Space goes where the focus is, as a person would see it before pressing.
  await expect(page.getByTestId('board-column-IN_PROGRESS').getByRole('button', { name: `Move ${title}` })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('board-column-IN_PROGRESS').getByText(title)).toBeVisible();
  await expect(page.getByTestId('board-save-status')).toHaveText('All moves saved.');
  await page.reload();
  await expect(page.getByTestId('board-column-IN_PROGRESS').getByText(title)).toBeVisible();

  // The task's page: the edit form starts from the task; a comment.
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('task-title')).toHaveText(title);
  const edit = page.locator('form[data-hydrated="true"]');
  await expect(edit.getByLabel('Title')).toHaveValue(title);
  await expect(edit.getByLabel('Status')).toHaveValue('IN_PROGRESS');
  await edit.getByLabel('Status').selectOption('DONE');
  await edit.getByRole('button', { name: 'Save task' }).click();
  await expect(page.getByTestId('task-saved')).toHaveText('Task saved (version 4).');
  await expect(page.getByTestId('task-meta')).toContainText('version 4');
  await expect(page.getByTestId('task-title').locator('..')).toContainText('Done');
  await page.getByRole('textbox', { name: 'Add a comment' }).fill('Done, all of them.');
  await page.getByRole('button', { name: 'Comment' }).click();
  await expect(page.getByTestId('comments')).toContainText('Done, all of them.');
});

test('a tenant without the Task Manager cannot reach it', async ({ page }) => {
  await logIn(page, 'admin@whatsapp.com');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'All Tasks' })).toHaveCount(0);
  await page.goto('/tasks/list');
  await expect(page.getByRole('alert')).toContainText(/not found/i);
  await expect(page.getByTestId('task-row')).toHaveCount(0);
  await page.goto('/tasks/board');
  await expect(page.getByRole('alert')).toContainText(/not found/i);
  await expect(page.getByTestId('board-card')).toHaveCount(0);
});

test('a board column adds a task in place, without a reload', async ({ page }) => {
  await logIn(page, 'admin@taskmanager.com');
  await expectHydrated(page);
  await page.goto('/tasks/board');
  const board = page.locator('[data-testid="board"][data-hydrated="true"]');
  await expect(board).toBeVisible();
  const title = `Call the printer ${Date.now()}`;
  const column = page.getByTestId('board-column-IN_PROGRESS');
  await column.getByLabel('New task in In progress').fill(title);
  await column.getByRole('button', { name: 'Add' }).click();
  await expect(column.getByTestId('board-card').filter({ hasText: title })).toBeVisible();
  // The demo's tasks are there for a first look.
  await expect(page.getByTestId('board-column-DONE').getByTestId('board-card').first()).toBeVisible();
  // An empty title is refused where it is typed (the browser's own check).
  await column.getByRole('button', { name: 'Add' }).click();
  await expect(column.getByTestId('board-card').filter({ hasText: title })).toHaveCount(1);
});

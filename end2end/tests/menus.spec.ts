import { expect, test, type Page } from '@playwright/test';
import { logIn } from './helpers';

/** The names of a menu list's items, in order (the sidebar or the preview). */
async function names(page: Page, nav: string) {
  return page.getByRole('navigation', { name: nav }).locator('[data-menu-id]').allInnerTexts();
}

async function sidebarOf(page: Page, email: string) {
  await logIn(page, email);
  await expect(page.getByTestId('user-name')).toBeVisible();
  return page.getByRole('navigation', { name: 'Main' });
}

test('a tenant admin arranges the menu with the mouse and the keyboard, users see it, revert restores it', async ({ page, browser }) => {
  await logIn(page, 'admin@taskmanager.com');
  await page.getByRole('link', { name: 'Menu editor' }).click();
  await expect(page.getByRole('heading', { name: 'Menu editor' })).toBeVisible();
  const tree = page.getByTestId('menu-tree');
  await expect(tree.getByTestId('menu-item-task-manager')).toBeVisible();
  // Versions count on from the tenant's last save (none in a fresh database; a repeated run
  // finds the previous run's).
  const saved = /Version (\d+),/.exec(await page.getByTestId('menu-version').innerText());
  const base = saved ? Number(saved[1]) : 0;
  const version = (n: number) => `Version ${base + n},`;

  // The preview as USER shows their tasks, not the administration pages.
  await page.getByTestId('preview-role').selectOption('USER');
  const preview = page.getByRole('navigation', { name: 'Menu preview' });
  await expect(preview).toContainText('All Tasks');
  await expect(preview).not.toContainText('Users');
  await expect(preview).not.toContainText('Menu editor');

  // Mouse: drag Create Task above All Tasks.
  const handle = page.getByRole('button', { name: 'Move Create Task' });
  const target = tree.getByTestId('menu-item-task-manager.tasks-list');
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + 40, to.y + 8, { steps: 8 });
  await page.mouse.move(to.x + 40, to.y + 4, { steps: 2 });
  await page.mouse.up();
  const group = tree.getByTestId('menu-item-task-manager');
  await expect(group.locator('[data-dnd-id]').first()).toHaveAttribute('data-dnd-id', 'task-manager.tasks-create');
  await page.getByTestId('save-menu').click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(page.getByTestId('menu-version')).toContainText(version(1));

  // Keyboard: a new group, then All Tasks into it: out of its group, down twice, in.
  await page.getByTestId('new-item-name').fill('Work');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(tree.getByTestId('menu-item-custom.work')).toBeVisible();
  const allTasks = page.getByRole('button', { name: 'Move All Tasks' });
  await allTasks.focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('dnd-announcement')).toContainText('picked up');
  // Each move draws the tree anew; the handle gets the focus back on the next frame, and
  // the next key goes where the focus is.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('dnd-announcement')).toContainText('Moved out of Task Manager');
  await expect(allTasks).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(allTasks).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(allTasks).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('dnd-announcement')).toContainText('Moved into Work');
  await expect(allTasks).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('dnd-announcement')).toContainText('dropped');
  await expect(tree.getByTestId('menu-item-custom.work').getByTestId('menu-item-task-manager.tasks-list')).toBeVisible();
  await page.getByTestId('save-menu').click();
  await expect(page.getByTestId('menu-version')).toContainText(version(2));

  // The user's sidebar, after a reload, has it.
  const theirs = await browser.newPage();
  let nav = await sidebarOf(theirs, 'user@taskmanager.com');
  await expect(nav.locator('#menu-custom-work')).toContainText('All Tasks');
  await expect(nav.locator('#menu-task-manager')).toContainText('Create Task');

  // Revert to version 1: All Tasks back in its group, below Create Task; no Work group.
  await page.getByRole('button', { name: `Revert to version ${base + 1}` }).click();
  await expect(page.getByTestId('menu-version')).toContainText(version(3));
  await theirs.reload();
  nav = theirs.getByRole('navigation', { name: 'Main' });
  await expect(nav.locator('#menu-custom-work')).toHaveCount(0);
  expect(await names(theirs, 'Main')).toEqual(
    expect.arrayContaining(['Create Task', 'All Tasks']),
  );
  const order = await names(theirs, 'Main');
  expect(order.indexOf('Create Task')).toBeLessThan(order.indexOf('All Tasks'));

  // Leave the defaults for the other specs.
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await page.getByTestId('save-menu').click();
  await expect(page.getByTestId('menu-version')).toContainText(version(4));
  await theirs.close();
});

test('a user cannot open the menu editor, and a phone gets the menu as a drawer', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await logIn(page, 'user@taskmanager.com');
  await expect(page.getByTestId('user-name')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).not.toBeInViewport();
  await page.getByTestId('open-menu').click();
  await expect(nav).toBeInViewport();
  await expect(nav.getByRole('link', { name: 'All Tasks' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Menu editor' })).toHaveCount(0);
  await page.goto('/admin/menus');
  await expect(page.getByRole('alert')).toContainText('permission');
});

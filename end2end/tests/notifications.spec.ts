import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectHydrated, logIn } from './helpers';

test('an assignment in one browser rings the bell in the other within a second, without a reload', async ({ browser, request }) => {
  test.slow();
  // The admin's task, made through the API; the assignment happens in the admin's browser.
  const login = await request.post('/api/v1/auth/login', {
    data: { email: 'admin@taskmanager.com', password: DEMO_PASSWORD },
  });
  const token = (await login.json()).data.tokens.accessToken;
  const title = `Check the stock ${Date.now()}`;
  const created = await request.post('/api/v1/tasks', {
    data: { title },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(created.status()).toBe(201);
  const taskId = (await created.json()).data.id;

  const userContext = await browser.newContext();
  const adminContext = await browser.newContext();
  const user = await userContext.newPage();
  const admin = await adminContext.newPage();
  await logIn(user, 'user@taskmanager.com');
  await expectHydrated(user);
  // What the user has unread already (other tests share the database).
  const userLogin = await request.post('/api/v1/auth/login', {
    data: { email: 'user@taskmanager.com', password: DEMO_PASSWORD },
  });
  const userToken = (await userLogin.json()).data.tokens.accessToken;
  const counted = await request.get('/api/v1/notifications/unread', {
    headers: { authorization: `Bearer ${userToken}` },
  });
  const before: number = (await counted.json()).data.unread;
  await expect(user.getByTestId('notification-bell')).toBeVisible();

  await logIn(admin, 'admin@taskmanager.com');
  await expectHydrated(admin);
  await admin.goto(`/tasks/${taskId}`);
  await expectHydrated(admin);
  const assign = admin.getByRole('form', { name: 'Assign' });
  await assign.getByLabel('Assignee').selectOption({ label: 'Task Manager User' });
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(admin.getByText('Assignee: Task Manager User')).toBeVisible();

  // The user's page was not reloaded: the count comes over the stream.
  await expect(user.getByTestId('unread-count')).toHaveText(String(before + 1), { timeout: 1000 });

  // The list shows it, linked to the task; marking it read clears the bell.
  await user.getByTestId('notification-bell').click();
  await expect(user).toHaveURL(/\/notifications$/);
  const item = user.getByTestId('notifications').locator('li', { hasText: `Assigned to you: ${title}` });
  await expect(item.getByRole('link')).toHaveAttribute('href', `/tasks/${taskId}`);
  await expectHydrated(user);
  await user.getByTestId('mark-all-read').click();
  await expect(user.getByTestId('unread-count')).toHaveCount(0);
  await expect(item).not.toHaveAttribute('data-unread', 'true');

  await userContext.close();
  await adminContext.close();
});

test('a person turns a kind off on the notifications page, and the choice holds', async ({ page }) => {
  await logIn(page, 'admin@whatsapp.com');
  await expectHydrated(page);
  await page.goto('/notifications');
  await expectHydrated(page);
  const channel = page.getByLabel('My role changes');
  await channel.selectOption('OFF');
  await page.getByTestId('save-channels').click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(page.getByLabel('My role changes')).toHaveValue('OFF');
  // Back as it was, for the other tests sharing this account.
  await expectHydrated(page);
  await page.getByLabel('My role changes').selectOption('APP');
  await page.getByTestId('save-channels').click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
});

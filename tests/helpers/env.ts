// setupFiles: runs in every worker before the tests; fills in what global-setup did not set.
import { BASE_TEST_ENV } from './test-env';

for (const [key, value] of Object.entries(BASE_TEST_ENV)) process.env[key] ??= value;

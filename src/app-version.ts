/** The lab's version, recorded in every run's environment; test/e2e/version.test.mjs keeps it equal to package.json's. */
export const APP_VERSION = '0.1.0';

export { vendorFixture as fixture, vendorFixtures, type VendorFixture } from '@regevents/registry-harness';

/**
 * The business-day calendar: pure functions that compute Vigil's clocks (first response within N
 * business days, phase durations) in a project's time zone, skipping weekends and the public
 * holidays of its holiday region. See README.md in this folder for the rules.
 */
export {
  addBusinessDays,
  addBusinessHours,
  isBusinessDay,
  isValidTimeZone,
  listNonBusinessDays,
  requireTimeZone,
  MAX_BUSINESS_DAYS,
  MAX_BUSINESS_HOURS,
  type CalendarOptions,
  type NonBusinessDay,
} from './business-time.js';
export { isValidHolidayRegion, listHolidays, requireHolidayRegion, type PublicHoliday } from './holidays.js';

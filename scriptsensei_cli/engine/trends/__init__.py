"""The trends service: observations in (importer, collectors, store), trends out (scoring, search),
forecasts (forecast); `service` ties them to one user's data."""

// The core journeys at desktop size with JavaScript on (htmx enhances the pages).
'use strict';

const { coreJourneys } = require('../lib/core-journeys');

coreJourneys('desktop');

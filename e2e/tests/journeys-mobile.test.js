// The core journeys on a phone-sized screen (390×844, touch).
'use strict';

const { coreJourneys } = require('../lib/core-journeys');

coreJourneys('mobile');
